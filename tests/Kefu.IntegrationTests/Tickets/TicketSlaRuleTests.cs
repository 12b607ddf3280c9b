using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Tickets;

/// <summary>
/// SLA policies per tag and per inbox win over the priority's (a tag rule first, then the inbox's), and a policy can
/// count the inbox's own calendar (weekly hours and holidays) instead of its own hours. On a fake clock.
/// </summary>
public sealed class TicketSlaRuleTests
{
    [Fact]
    public async Task TagRule_WinsOverInboxRule_WinsOverPriority_AndTheInboxCalendarSkipsNightsWeekendsAndHolidays()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 16, 30, 0, TimeSpan.Zero)); // Friday 16:30 UTC
        await using var server = new KefuFactory { Clock = clock }.Start();
        using var http = await server.AgentHttpAsync();
        var ws = new Workspace(server);
        var demo = await ws.DemoInboxIdAsync();
        var (shop, _) = await ws.InboxAsync("Shop " + Guid.NewGuid().ToString("N")[..6]);
        // The shop inbox's calendar as routing keeps it: weekdays 09:00-17:00 UTC, Monday 7 December closed.
        await server.WithDbAsync(async db =>
        {
            db.Add(new InboxRouting { TenantId = await ws.TenantIdAsync(), InboxId = shop, BusinessHours = "mon-fri 09:00-17:00", TimeZone = "UTC", Holidays = "2026-12-07" });
            return await db.SaveChangesAsync();
        });

        (await http.PutAsJsonAsync("/api/v1/tickets/sla-policies", new { priority = "normal", firstReplyMinutes = 600, warnBeforeMinutes = 0 })).EnsureSuccessStatusCode();
        await SaveRuleAsync(http, new { inboxId = demo, firstReplyMinutes = 120, warnBeforeMinutes = 0 });
        await SaveRuleAsync(http, new { tag = "vip", firstReplyMinutes = 30, warnBeforeMinutes = 0 });
        await SaveRuleAsync(http, new { inboxId = shop, firstReplyMinutes = 60, useInboxHours = true, warnBeforeMinutes = 0 });

        var plain = await http.CreateTicketAsync(new { subject = "Plain" });
        var byInbox = await http.CreateTicketAsync(new { subject = "Demo inbox", inboxId = demo });
        var byTag = await http.CreateTicketAsync(new { subject = "VIP in the demo inbox", inboxId = demo, tags = new[] { "vip" } });
        var shopTicket = await http.CreateTicketAsync(new { subject = "Shop", inboxId = shop });

        Assert.Equal(At(2026, 12, 5, 2, 30), Due(plain)); // the priority's 600 calendar minutes
        Assert.Equal(At(2026, 12, 4, 18, 30), Due(byInbox)); // the demo inbox's rule
        Assert.Equal(At(2026, 12, 4, 17, 0), Due(byTag)); // the tag's rule wins over the inbox's
        // 30 minutes on Friday, the weekend and the Monday holiday skipped, 30 more on Tuesday morning.
        Assert.Equal(At(2026, 12, 8, 9, 30), Due(shopTicket));

        // Tagging a ticket later moves it under the tag's rule, counted from its creation.
        var retagged = await (await http.PatchAsJsonAsync($"/api/v1/tickets/{byInbox.Id()}", new { tags = new[] { "vip" } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(At(2026, 12, 4, 17, 0), Due(retagged));

        var rules = await http.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/sla-rules");
        var (_, otherEmail) = await server.CreateOtherTenantAsync();
        var otherInbox = await server.WithDbAsync(db => db.Inboxes.Where(i => i.Name == "Other" && i.TenantId == db.Users.Where(u => u.Email == otherEmail).Select(u => u.TenantId).First()).Select(i => i.Id).FirstAsync());
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { tag = "vip", inboxId = demo, firstReplyMinutes = 10 }, "tag"),
                     (new { firstReplyMinutes = 10 }, "tag"),
                     (new { tag = "two words", firstReplyMinutes = 10 }, "tag"),
                     (new { tag = "gold", firstReplyMinutes = 0 }, "firstReplyMinutes"),
                     (new { tag = "gold", firstReplyMinutes = 10, holidays = "2026-13-01" }, "holidays"),
                     (new { tag = "gold", firstReplyMinutes = 10, businessHours = "weekdays" }, "businessHours"),
                     (new { tag = "gold", firstReplyMinutes = 10, timeZone = "Mars/Olympus" }, "timeZone"),
                     (new { inboxId = otherInbox, firstReplyMinutes = 10 }, "inboxId"),
                 })
        {
            var (code, problemField, status) = await TicketApi.ProblemAsync(await http.PutAsJsonAsync("/api/v1/tickets/sla-rules", body));
            Assert.Equal((HttpStatusCode.BadRequest, "invalid_sla_policy", field), (status, code, problemField));
        }

        Assert.Equal(rules!.Length, (await http.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/sla-rules"))!.Length); // nothing stored
        var tagRule = rules.Single(r => r.TryGetProperty("tag", out var t) && t.GetString() == "vip").Id();
        // Another workspace's admin does not find our rule, and it stays.
        await server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, Kefu.Server.Features.Accounts.Contracts.AgentRole.Admin)));
        server.Services.GetRequiredService<Kefu.Server.Features.Accounts.Contracts.IAccessControl>().Invalidate(
            await server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).Select(u => u.TenantId).SingleAsync()));
        using (var foreign = await server.AgentHttpAsync(await server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword)))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await foreign.DeleteAsync($"/api/v1/tickets/sla-rules/{tagRule}")).StatusCode);
            Assert.Empty(await foreign.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/sla-rules") ?? []);
        }

        Assert.Equal(rules.Length, (await http.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/sla-rules"))!.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/v1/tickets/sla-rules/{tagRule}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"/api/v1/tickets/sla-rules/{tagRule}")).StatusCode);
    }

    private static async Task SaveRuleAsync(HttpClient http, object body)
    {
        var response = await http.PutAsJsonAsync("/api/v1/tickets/sla-rules", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static DateTime Due(JsonElement ticket) => ticket.GetProperty("sla").GetProperty("firstReplyDueAt").GetDateTime().ToUniversalTime();

    private static DateTime At(int y, int m, int d, int h, int min) => new(y, m, d, h, min, 0, DateTimeKind.Utc);
}
