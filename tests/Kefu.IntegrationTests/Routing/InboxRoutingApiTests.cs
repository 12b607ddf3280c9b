using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Routing;

/// <summary>GET and PUT <c>/api/v1/inboxes/{id}/routing</c>: round trip, the field at fault, roles, other workspaces.</summary>
public sealed class InboxRoutingApiTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Get_AnswersDefaults_ThenWhatPutStored_InItsNormalForm_AndThePutIsAudited()
    {
        var inbox = await new Workspace(_server).InboxAsync("Routing round trip");
        using var admin = await _server.AgentHttpAsync();
        var url = $"/api/v1/inboxes/{inbox.Id}/routing";

        var before = await admin.GetFromJsonAsync<JsonElement>(url);
        var put = await admin.PutAsJsonAsync(url, new
        {
            mode = "manual", strategy = "leastBusy", offerTimeoutSeconds = 45, vipTags = "vip 大客户 VIP", timeZone = "Asia/Shanghai",
            businessHours = "mon 09:00-18:00; tue-fri 09:00-18:00; sat 10:00-12:00; sat 13:00-24:00",
            holidays = "2027-10-01 2027-01-01 2027-10-01", closedMessageEn = "We are closed.", closedMessageZh = "下班了。", closedLeaveMessage = false,
        });
        var after = await admin.GetFromJsonAsync<JsonElement>(url);

        Assert.Equal("manual", before.GetProperty("mode").GetString());
        Assert.Equal("", before.GetProperty("businessHours").GetString());
        Assert.True(before.GetProperty("closedLeaveMessage").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("mon-fri 09:00-18:00; sat 10:00-12:00; sat 13:00-24:00", after.GetProperty("businessHours").GetString());
        Assert.Equal("2027-01-01 2027-10-01", after.GetProperty("holidays").GetString());
        Assert.Equal("vip 大客户", after.GetProperty("vipTags").GetString());
        Assert.Equal("Asia/Shanghai", after.GetProperty("timeZone").GetString());
        Assert.Equal("下班了。", after.GetProperty("closedMessageZh").GetString());
        Assert.False(after.GetProperty("closedLeaveMessage").GetBoolean());
        Assert.Equal(after.GetRawText(), (await put.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        var entry = await _server.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.SettingChanged && a.TargetId == inbox.Id.ToString()).SingleAsync());
        Assert.Equal("routing created", entry.Detail);
    }

    [Theory]
    [InlineData("""{"businessHours":"mon 18:00-09:00"}""", "businessHours")]
    [InlineData("""{"businessHours":"mon-fri 09:00-12:00; wed 11:30-14:00"}""", "businessHours")]
    [InlineData("""{"businessHours":"mon 09:00-25:00"}""", "businessHours")]
    [InlineData("""{"timeZone":"Mars/Olympus"}""", "timeZone")]
    [InlineData("""{"holidays":"2027-02-30"}""", "holidays")]
    [InlineData("""{"holidays":"tomorrow"}""", "holidays")]
    [InlineData("""{"offerTimeoutSeconds":4}""", "offerTimeoutSeconds")]
    [InlineData("""{"offerTimeoutSeconds":601}""", "offerTimeoutSeconds")]
    [InlineData("""{"vipTags":"vip gold!"}""", "vipTags")]
    [InlineData("""{"overflowAfterMinutes":5}""", "overflowTeamId")]
    public async Task Put_WithABadField_Is400NamingIt_AndStoresNothing(string body, string field)
    {
        var inbox = await new Workspace(_server).InboxAsync("Bad " + field);
        using var admin = await _server.AgentHttpAsync();

        var response = await admin.PutAsync($"/api/v1/inboxes/{inbox.Id}/routing", new StringContent(body.Replace("{", """{"mode":"manual",""", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_setting", problem.GetProperty("code").GetString());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(await _server.WithDbAsync(db => db.InboxRoutings.AnyAsync(r => r.InboxId == inbox.Id)));
    }

    [Fact]
    public async Task AnAgentWithoutSettings_Gets403_OnReadAndWrite_AndNothingChanges()
    {
        var ws = new Workspace(_server);
        var inbox = await ws.InboxAsync("Not yours to route");
        using var agent = await ws.PersonAsync(AgentRole.Supervisor);

        var read = await agent.Http.GetAsync($"/api/v1/inboxes/{inbox.Id}/routing");
        var write = await agent.Http.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/routing", new { mode = "manual", businessHours = "mon 09:00-10:00" });

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.InboxRoutings.AnyAsync(r => r.InboxId == inbox.Id)));
    }

    [Fact]
    public async Task AnotherWorkspacesAdmin_Gets404_OnReadAndWrite()
    {
        var inbox = await new Workspace(_server).InboxAsync("Workspace A's inbox");
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));

        var read = await foreign.GetAsync($"/api/v1/inboxes/{inbox.Id}/routing");
        var write = await foreign.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/routing", new { mode = "manual" });

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.InboxRoutings.AnyAsync(r => r.InboxId == inbox.Id)));
    }
}
