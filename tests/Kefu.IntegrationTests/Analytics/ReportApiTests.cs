using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Analytics.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Analytics;

/// <summary>The report API through HTTP on a real conversation: what it counts, and what it refuses.</summary>
public sealed class ReportApiTests
{
    [Fact]
    public async Task AnsweredAndResolvedConversation_ShowsInOverviewTrafficAgentsAndExport()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 5, 0, TimeSpan.Zero));
        await using var server = new KefuFactory { Clock = clock }.Start();
        var session = await server.NewVisitorAsync();
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "r-1", "where is my order?", null));
        var id = ack.Value!.ConversationId;
        using var admin = await server.AgentHttpAsync();
        clock.Advance(TimeSpan.FromSeconds(45));
        (await admin.PostAsJsonAsync($"/api/v1/conversations/{id}/messages", new AgentSendMessage("a-1", "On its way", null))).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromSeconds(60));
        (await admin.PostAsync($"/api/v1/conversations/{id}/resolve", null)).EnsureSuccessStatusCode();
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.ConversationFacts.AnyAsync(f => f.Id == id && f.Resolved && f.FirstResponseSeconds != null)), "the facts row");

        var overview = await admin.GetFromJsonAsync<OverviewReport>("/api/v1/reports/overview", KefuFactory.Json);
        var traffic = await admin.GetFromJsonAsync<TrafficReport>("/api/v1/reports/traffic?tz=Asia/Shanghai", KefuFactory.Json);
        var agents = await admin.GetFromJsonAsync<AgentsReport>("/api/v1/reports/agents", KefuFactory.Json);
        var csv = await admin.GetStringAsync("/api/v1/reports/conversations/export?format=csv");

        Assert.Equal(1, overview!.Current.Conversations);
        Assert.Equal(45, overview.Current.FirstResponseAverage);
        Assert.InRange(overview.Current.FirstResponseMedian!.Value, 45, 60); // 45 s lies in the 45–60 s bucket
        Assert.Equal(1, overview.Current.Resolved);
        Assert.Equal(0, overview.Previous.Conversations);
        Assert.Equal(1, overview.Trend.Sum(d => d.Conversations));
        var local = TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.Equal(1, traffic!.HourOfWeek[((int)local.DayOfWeek + 6) % 7][local.Hour]);
        Assert.Equal(1, traffic.Conversations);
        var row = Assert.Single(agents!.Agents);
        Assert.Equal((1, 1, 45.0), (row.Conversations, row.Resolved, row.FirstResponseAverage));
        Assert.False(string.IsNullOrEmpty(row.Name));
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("conversationId,createdAt,inboxId", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(id.ToString(), Assert.Single(lines[1..]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_IsRefusedWithProblemDetails_AndForeignObjectsAreNotFound()
    {
        await using var server = new KefuFactory().Start();
        using var admin = await server.AgentHttpAsync();
        var (otherKey, _) = await server.CreateOtherTenantAsync();
        var foreignInbox = await server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey == otherKey).Select(i => i.Id).SingleAsync());
        var ws = new Workspace(server);
        using var agent = await ws.PersonAsync();

        (string Url, HttpStatusCode Status, string Code)[] cases =
        [
            ("/api/v1/reports/overview?from=2026-01-01&to=2026-06-01", HttpStatusCode.BadRequest, "report_range_too_long"),
            ("/api/v1/reports/overview?from=2026-06-01&to=2026-05-01", HttpStatusCode.BadRequest, "invalid_report_range"),
            ("/api/v1/reports/overview?from=yesterday", HttpStatusCode.BadRequest, "invalid_report_range"),
            ("/api/v1/reports/overview?language=zh", HttpStatusCode.BadRequest, "unknown_report_filter"),
            ("/api/v1/reports/traffic?inbx=" + foreignInbox, HttpStatusCode.BadRequest, "unknown_report_filter"),
            ("/api/v1/reports/agents?channel=fax", HttpStatusCode.BadRequest, "invalid_report_filter"),
            ("/api/v1/reports/agents?limit=100000", HttpStatusCode.BadRequest, "invalid_report_filter"),
            ("/api/v1/reports/traffic?tz=Mars/Olympus", HttpStatusCode.BadRequest, "invalid_report_filter"),
            ("/api/v1/reports/overview?team=not-a-guid", HttpStatusCode.BadRequest, "invalid_report_filter"),
            ("/api/v1/reports/conversations/export?format=xml", HttpStatusCode.BadRequest, "invalid_report_filter"),
            ("/api/v1/reports/overview?inbox=" + foreignInbox, HttpStatusCode.NotFound, "inbox_not_found"),
            ("/api/v1/reports/conversations/export?inbox=" + foreignInbox, HttpStatusCode.NotFound, "inbox_not_found"),
            ("/api/v1/reports/agents?agent=" + Guid.NewGuid(), HttpStatusCode.NotFound, "agent_not_found"),
            ("/api/v1/reports/overview?team=" + Guid.NewGuid(), HttpStatusCode.NotFound, "team_not_found"),
        ];
        foreach (var (url, status, code) in cases)
        {
            var response = await admin.GetAsync(url);
            Assert.True(status == response.StatusCode, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }

        // A reflected parameter name is echoed only when it is a plain word.
        var odd = await (await admin.GetAsync("/api/v1/reports/overview?%3Cscript%3E=1")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("?", odd.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.GetAsync("/api/v1/reports/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.GetAsync("/api/v1/reports/conversations/export")).StatusCode);
    }

    [Fact]
    public async Task Export_TagOrTeamNameLikeAFormula_IsWrittenAsText()
    {
        await using var server = new KefuFactory().Start();
        using var admin = await server.AgentHttpAsync();
        var session = await server.NewVisitorAsync();
        await server.WithDbAsync(db => db.Contacts.Where(c => c.Id == session.ContactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Tags, "=HYPERLINK(\"x\") vip")));
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "t-1", "hi", null));
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.ConversationFacts.AnyAsync(f => f.Id == ack.Value!.ConversationId)), "the facts row");

        var csv = await admin.GetStringAsync("/api/v1/reports/conversations/export?tag=vip");
        var none = await admin.GetStringAsync("/api/v1/reports/conversations/export?tag=wholesale");

        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\") vip\",", csv, StringComparison.Ordinal);
        Assert.Single(none.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries)); // the header only
    }
}
