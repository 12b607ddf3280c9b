using System.Security.Cryptography;
using Kefu.Server.Features.Accounts;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Knowledge;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// On an empty database: one tenant (the demo shop), one website inbox with the bot on (unless
/// <c>Kefu:Seed:DemoBot</c> is false) and a bilingual FAQ, one admin who is also an agent. There is no well-known password: without <c>Kefu:Seed:AdminPassword</c> a strong one is
/// generated and written once to standard output (not to the logs).
/// </summary>
internal static class DemoSeeder
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<SeedOptions>>().Value;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KefuDbContext>();
        if (!options.Enabled || await db.Tenants.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var tenant = new Tenant { Id = Guid.CreateVersion7(now), Name = "Sweet Corner", CreatedAt = now };
        db.Tenants.Add(tenant);
        db.Inboxes.Add(new Inbox
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenant.Id,
            Name = "Sweet Corner",
            WidgetKey = RandomKey(16),
            AllowedOrigins = "http://localhost:5000",
            BotEnabled = options.DemoBot,
            CreatedAt = now,
        });
        db.Articles.AddRange(DemoKnowledge.Articles(tenant.Id, now));
        if (options.DemoBot)
        {
            Features.Bot.Flows.DemoFlows.Seed(db, tenant.Id, now, options.DemoFlowsBaseUrl);
        }
        await db.SaveChangesAsync(cancellationToken);

        var generated = string.IsNullOrEmpty(options.AdminPassword);
        var password = generated ? GeneratePassword() : options.AdminPassword!;
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var admin = new AgentUser
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenant.Id,
            UserName = options.AdminEmail,
            Email = options.AdminEmail,
            EmailConfirmed = true,
            DisplayName = "Admin",
            Role = AgentRole.Admin,
            CreatedAt = now,
        };
        var result = await users.CreateAsync(admin, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Cannot create the first admin: " +
                string.Join(" ", result.Errors.Select(e => e.Description)) + " (check Kefu:Seed:AdminEmail / AdminPassword).");
        }

        System.Console.Out.WriteLine($"""

            ==================================================================
             Kefu demo workspace created.
             Console:  /console   e-mail: {options.AdminEmail}
             {(generated ? $"Password: {password}   (shown once; keep it)" : "Password: the one set in Kefu:Seed:AdminPassword")}
            ==================================================================

            """);
    }

    private static string RandomKey(int length) =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", length);

    /// <summary>20 random characters with every class Identity's password rules ask for.</summary>
    private static string GeneratePassword()
    {
        var chars = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789", 17);
        return chars + RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 1) +
               RandomNumberGenerator.GetString("23456789", 1) + RandomNumberGenerator.GetString("!#%+-=?@", 1) +
               RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz", 1);
    }
}
