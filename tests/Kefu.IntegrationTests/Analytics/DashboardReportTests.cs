using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Analytics;
using Kefu.Server.Features.Analytics.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Analytics;

/// <summary>The reports the dashboards added: the staffing forecast and the agents table's CSV, through HTTP on real conversations.</summary>
public sealed class DashboardReportTests
{
    [Fact]
    public async Task StaffingForecast_CountsLastWeeksArrivalsAtTheirHour_AndScheduledShifts()
    {
        // Monday 10:05 UTC: the conversation arrives in Monday's 10:00 hour.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 5, 0, TimeSpan.Zero));
        await using var server = new KefuFactory { Clock = clock }.Start();
        using var admin = await server.AgentHttpAsync();
        var adminId = await new Workspace(server).AdminIdAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/agents/{adminId}/routing",
            new { shifts = "mon-fri 09:00-17:00", timeZone = "UTC", capacity = 2 })).StatusCode);
        var session = await server.NewVisitorAsync();
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "s-1", "anyone there?", null));
        var id = ack.Value!.ConversationId;
        clock.Advance(TimeSpan.FromSeconds(30));
        (await admin.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new AgentSendMessage("a-1", "Hello!", null))).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromMinutes(5));
        (await admin.PostAsync($"/api/v1/conversations/{id}/resolve", null)).EnsureSuccessStatusCode();
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.ConversationFacts.AnyAsync(f => f.Id == id && f.Resolved)), "the facts row");
        var queued = await server.WithDbAsync(db => db.ConversationFacts.CountAsync(f => f.QueuedAt != null));
        clock.Advance(TimeSpan.FromHours(1)); // the forecast reads whole past hours only
        using var later = await server.AgentHttpAsync(); // a token issued on the moved clock

        var forecast = await later.GetFromJsonAsync<StaffingForecast>("/api/v1/reports/staffing?weeks=1&targetSeconds=20&targetShare=0.8", KefuFactory.Json);

        Assert.Equal(168, forecast!.Hours.Count);
        Assert.Equal(2, forecast.Concurrency); // the workspace's mean capacity: the admin's 2
        Assert.Equal(queued, forecast.Hours.Sum(h => h.Arrivals));
        var monday10 = forecast.Hours.Single(h => h.Day == 0 && h.Hour == 10);
        Assert.Equal(queued, monday10.Arrivals);
        Assert.Equal(1, monday10.Scheduled);
        Assert.Equal(0, forecast.Hours.Single(h => h.Day == 0 && h.Hour == 20).Scheduled);
        Assert.Equal(0, forecast.Hours.Single(h => h.Day == 5 && h.Hour == 10).Scheduled); // Saturday: no shift
        if (queued > 0)
        {
            Assert.Equal(ErlangC.ServersFor(monday10.Arrivals, forecast.HandlingSeconds, 20, 0.8), monday10.Slots);
            Assert.Equal((int)Math.Ceiling(monday10.Slots / 2.0), monday10.AgentsNeeded);
            Assert.True(monday10.ServiceLevel >= 0.8);
        }

        // The agents table's CSV has the API's row for the admin.
        var agents = await later.GetFromJsonAsync<AgentsReport>("/api/v1/reports/agents?from=2026-11-20", KefuFactory.Json);
        var csv = (await later.GetStringAsync("/api/v1/reports/agents/export?from=2026-11-20")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("kind,id,name,conversations", csv[0], StringComparison.Ordinal);
        var row = Assert.Single(agents!.Agents);
        var line = Assert.Single(csv, l => l.StartsWith("agent," + row.Id, StringComparison.Ordinal)).Split(',');
        Assert.Equal((row.Conversations.ToString(), row.Resolved.ToString()), (line[3], line[4]));
    }

    [Fact]
    public async Task StaffingAndAgentsExport_RefuseBadInput_WithProblemDetails_AndForeignInboxesAreNotFound()
    {
        await using var server = new KefuFactory().Start();
        using var admin = await server.AgentHttpAsync();
        var (otherKey, _) = await server.CreateOtherTenantAsync();
        var foreignInbox = await server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey == otherKey).Select(i => i.Id).SingleAsync());
        using var agent = await new Workspace(server).PersonAsync();

        (string Url, HttpStatusCode Status, string Code, string? Field)[] cases =
        [
            ("/api/v1/reports/staffing?weeks=0", HttpStatusCode.BadRequest, "invalid_report_filter", "weeks"),
            ("/api/v1/reports/staffing?weeks=9", HttpStatusCode.BadRequest, "invalid_report_filter", "weeks"),
            ("/api/v1/reports/staffing?targetSeconds=-5", HttpStatusCode.BadRequest, "invalid_report_filter", "targetSeconds"),
            ("/api/v1/reports/staffing?targetShare=1.5", HttpStatusCode.BadRequest, "invalid_report_filter", "targetShare"),
            ("/api/v1/reports/staffing?targetShare=NaN", HttpStatusCode.BadRequest, "invalid_report_filter", "targetShare"),
            ("/api/v1/reports/staffing?concurrency=0", HttpStatusCode.BadRequest, "invalid_report_filter", "concurrency"),
            ("/api/v1/reports/staffing?from=2026-01-01", HttpStatusCode.BadRequest, "unknown_report_filter", "from"),
            ("/api/v1/reports/staffing?language=zh", HttpStatusCode.BadRequest, "unknown_report_filter", "language"),
            ("/api/v1/reports/staffing?inbox=" + foreignInbox, HttpStatusCode.NotFound, "inbox_not_found", "inbox"),
            ("/api/v1/reports/agents/export?inbox=" + foreignInbox, HttpStatusCode.NotFound, "inbox_not_found", "inbox"),
            ("/api/v1/reports/agents/export?from=2026-01-01&to=2026-12-01", HttpStatusCode.BadRequest, "report_range_too_long", "to"),
            ("/api/v1/reports/agents/export?channel=fax", HttpStatusCode.BadRequest, "invalid_report_filter", "channel"),
            ("/api/v1/reports/agents/export?limit=5", HttpStatusCode.BadRequest, "unknown_report_filter", "limit"),
        ];
        foreach (var (url, status, code, field) in cases)
        {
            var response = await admin.GetAsync(url);
            Assert.True(status == response.StatusCode, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((code, field), (problem.GetProperty("code").GetString(), problem.TryGetProperty("field", out var f) ? f.GetString() : null));
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.GetAsync("/api/v1/reports/staffing")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.GetAsync("/api/v1/reports/agents/export")).StatusCode);
    }
}
