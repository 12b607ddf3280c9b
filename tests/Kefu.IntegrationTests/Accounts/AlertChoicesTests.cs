using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>The alert choices are the account's: sound on and notifications off until the user chooses, the same on every device.</summary>
public sealed class AlertChoicesTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Get_StartsWithSoundOnAndNotificationsOff_PutStoresBoth_ForEveryToken_AndAuditsTheChange()
    {
        var email = await _server.CreateAgentInDemoTenantAsync("Alert agent");
        using var laptop = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email));
        using var phone = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email));

        var initial = await laptop.GetFromJsonAsync<JsonElement>("/api/v1/account/alerts");
        var put = await laptop.PutAsJsonAsync("/api/v1/account/alerts", new { sound = false, desktop = true });
        var elsewhere = await phone.GetFromJsonAsync<JsonElement>("/api/v1/account/alerts");
        var again = await laptop.PutAsJsonAsync("/api/v1/account/alerts", new { sound = false, desktop = true });

        Assert.Equal((true, false), (initial.GetProperty("sound").GetBoolean(), initial.GetProperty("desktop").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal((false, true), (elsewhere.GetProperty("sound").GetBoolean(), elsewhere.GetProperty("desktop").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var id = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        var audited = await _server.WithDbAsync(db => db.AuditEntries.Where(e => e.Action == AuditActions.SettingChanged && e.TargetId == id.ToString()).Select(e => e.Detail).ToListAsync());
        Assert.Equal(["alerts: sound=false; desktop=true"], audited); // the unchanged second PUT records nothing
    }

    [Theory]
    [InlineData("""{"desktop":true}""", "sound")]
    [InlineData("""{"sound":true}""", "desktop")]
    public async Task Put_WithAChoiceMissing_Is400NamingIt_AndChangesNothing(string body, string field)
    {
        var email = await _server.CreateAgentInDemoTenantAsync("Alert agent");
        using var http = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email));

        var response = await http.PutAsync("/api/v1/account/alerts", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("invalid_alert_choices", field), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.Equal((false, false), await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => new ValueTuple<bool, bool>(u.AlertSoundOff, u.AlertDesktop)).SingleAsync()));
    }
}
