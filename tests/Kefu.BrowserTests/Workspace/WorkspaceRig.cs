using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.BrowserTests.Workspace;

/// <summary>Builders for the workspace's browser tests: agents, the inbox's routing mode, and what the database holds.</summary>
internal static class WorkspaceRig
{
    public const string Password = "Workspace-Agent-Pass-42!";

    /// <summary>A page-side record of every <c>Notification</c> shown and every media <c>play()</c>, installed before any script of the page runs.</summary>
    public const string AlertProbe = """
        (() => {
          window.__kefuNotifications = [];
          window.__kefuPlays = [];
          const Real = window.Notification;
          if (Real) {
            const Probe = function (title, options) {
              window.__kefuNotifications.push({ title, body: options?.body ?? "" });
              return new Real(title, options);
            };
            Object.defineProperty(Probe, "permission", { get: () => Real.permission });
            Probe.requestPermission = (...args) => Real.requestPermission(...args);
            Probe.prototype = Real.prototype;
            window.Notification = Probe;
          }
          const play = HTMLMediaElement.prototype.play;
          HTMLMediaElement.prototype.play = function () {
            const entry = { src: this.currentSrc || this.src, state: "called" };
            window.__kefuPlays.push(entry);
            const result = play.call(this);
            result.then(() => entry.state = "playing", (e) => entry.state = "refused: " + e.name);
            return result;
          };
        })();
        """;

    public static async Task<(Guid Id, string Email)> CreateAgentAsync(this KefuServer server, string name, int capacity = 3)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var db = scope.ServiceProvider.GetRequiredService<KefuDbContext>();
        var tenantId = await db.Tenants.OrderBy(t => t.CreatedAt).Select(t => t.Id).FirstAsync();
        var email = $"ws-{Guid.NewGuid():N}@browser.test";
        var user = new AgentUser { Id = Guid.CreateVersion7(), TenantId = tenantId, UserName = email, Email = email, DisplayName = name, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        db.AgentProfiles.Add(new AgentProfile { UserId = user.Id, TenantId = tenantId, Capacity = capacity, PresenceChangedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<IAccessControl>().Invalidate(tenantId);
        return (user.Id, email);
    }

    /// <summary>Sets the demo inbox's assignment mode; only agents with capacity above zero take conversations (the seeded admin gets none).</summary>
    public static async Task RouteAsync(this KefuServer server, AssignmentMode mode)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KefuDbContext>();
        var inbox = await db.Inboxes.OrderBy(i => i.CreatedAt).FirstAsync();
        var routing = await db.InboxRoutings.FirstOrDefaultAsync(r => r.InboxId == inbox.Id);
        if (routing is null)
        {
            routing = InboxRouting.Default(inbox.TenantId, inbox.Id);
            db.InboxRoutings.Add(routing);
        }

        routing.Mode = mode;
        var admin = await db.Users.Where(u => u.Email == KefuServer.AdminEmail).Select(u => u.Id).SingleAsync();
        await AgentProfiles.EnsureAsync(db, inbox.TenantId, DateTime.UtcNow, CancellationToken.None);
        await db.AgentProfiles.Where(p => p.UserId == admin).ExecuteUpdateAsync(s => s.SetProperty(p => p.Capacity, 0));
        await db.SaveChangesAsync();
    }

    public static async Task<T> DbAsync<T>(this KefuServer server, Func<KefuDbContext, Task<T>> query)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<KefuDbContext>());
    }

    public static Task<Guid> LatestConversationAsync(this KefuServer server) =>
        server.DbAsync(db => db.Conversations.OrderByDescending(c => c.CreatedAt).Select(c => c.Id).FirstAsync());

    public static Task<int> SetPriorityAsync(this KefuServer server, Guid conversationId, ConversationPriority priority) =>
        server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Priority, priority)));
}
