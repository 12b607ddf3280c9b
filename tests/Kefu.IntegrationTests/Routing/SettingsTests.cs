using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Agents.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Routing;

/// <summary>Routing settings: every bad input is a clear error that changes nothing; business hours reach the bot's availability check.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("""{"mode":"auto","offerTimeoutSeconds":1}""", 400, "invalid_setting")]
    [InlineData("""{"mode":"auto","timeZone":"Mars/Olympus"}""", 400, "invalid_setting")]
    [InlineData("""{"mode":"auto","businessHours":"weekdays 9 to 5"}""", 400, "invalid_setting")]
    [InlineData("""{"mode":"auto","requiredSkills":"en:42"}""", 400, "invalid_setting")]
    [InlineData("""{"mode":"auto","teamId":"0199f2a0-0000-7000-8000-000000000000"}""", 404, "team_not_found")]
    [InlineData("""{"mode":"auto","requiredSkills":"klingon:5"}""", 400, "rule_matches_nothing")]
    public async Task BadInboxSettings_AreRefused_AndChangeNothing(string body, int status, string code)
    {
        await using var server = new KefuFactory().Start();
        var inboxId = await server.WithDbAsync(db => db.Inboxes.Select(i => i.Id).FirstAsync());
        using var admin = await server.AgentHttpAsync();

        var response = await admin.PutAsync($"/api/v1/inboxes/{inboxId}/routing", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, await server.WithDbAsync(db => db.InboxRoutings.CountAsync()));
    }

    [Fact]
    public async Task ClosedInbox_HasNoAgentAvailable_AndSaysWhenItIsBack()
    {
        await using var server = new KefuFactory().Start();
        await using var agent = await server.AgentAsync("On duty");
        var (tenantId, inboxId) = await server.WithDbAsync(db => db.Inboxes.Select(i => new ValueTuple<Guid, Guid>(i.TenantId, i.Id)).FirstAsync());
        var availability = server.Services.GetRequiredService<IAgentAvailability>();
        Assert.True(await availability.AnyAgentAvailableAsync(tenantId, inboxId, CancellationToken.None));

        // Closed today and tomorrow (holidays), open every day otherwise.
        var today = DateTime.UtcNow.Date;
        await server.ConfigureInboxAsync(new { mode = "manual", businessHours = "sun-sat 00:00-23:59", holidays = $"{today:yyyy-MM-dd} {today.AddDays(1):yyyy-MM-dd}" });

        Assert.False(await availability.AnyAgentAvailableAsync(tenantId, inboxId, CancellationToken.None));
        Assert.Equal(new DateTimeOffset(today.AddDays(2)), await availability.BackAtAsync(tenantId, inboxId, CancellationToken.None));
    }

    [Fact]
    public async Task VeryLongButValidHolidayList_IsRefusedAsASetting_NotA500()
    {
        await using var server = new KefuFactory().Start();
        var inboxId = await server.WithDbAsync(db => db.Inboxes.Select(i => i.Id).FirstAsync());
        using var admin = await server.AgentHttpAsync();
        var holidays = string.Join(' ', Enumerable.Range(0, 400).Select(d => new DateTime(2027, 1, 1).AddDays(d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        var response = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/routing", new { mode = "auto", holidays });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_setting", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, await server.WithDbAsync(db => db.InboxRoutings.CountAsync()));
    }
}
