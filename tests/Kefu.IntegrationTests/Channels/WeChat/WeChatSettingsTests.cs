using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Channels.WeChat;

/// <summary>The Official Account settings endpoints: validation per field, secrets never shown back nor stored in clear, audit, another workspace's 404, the credential check.</summary>
public sealed class WeChatSettingsTests(WeChatRig rig) : IClassFixture<WeChatRig>
{
    [Theory]
    [InlineData("""{"name":"x","appId":"wx123","appSecret":"0123456789abcdef0123456789abcdef","token":"abc123"}""", "appId")]
    [InlineData("""{"name":"x","appId":"wx0123456789abcdef","appSecret":"short","token":"abc123"}""", "appSecret")]
    [InlineData("""{"name":"x","appId":"wx0123456789abcdef","appSecret":"0123456789abcdef0123456789abcdef","token":"a b"}""", "token")]
    [InlineData("""{"name":"x","appId":"wx0123456789abcdef","appSecret":"0123456789abcdef0123456789abcdef","token":"abc123","encodingAesKey":"tooshort"}""", "encodingAesKey")]
    [InlineData("""{"name":"","appId":"wx0123456789abcdef","appSecret":"0123456789abcdef0123456789abcdef","token":"abc123"}""", "name")]
    public async Task Connect_WithABadField_Is400OnThatField_AndCreatesNothing(string body, string field)
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var before = await rig.Server.WithDbAsync(db => db.Inboxes.CountAsync());

        var response = await admin.PostAsync("/api/v1/inboxes/wechat", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(before, await rig.Server.WithDbAsync(db => db.Inboxes.CountAsync()));
    }

    [Fact]
    public async Task Settings_NeverShowTheSecrets_StoreThemEncrypted_AndAreAudited()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        var secret = rig.Api.Apps[account.AppId];

        var read = await admin.GetStringAsync($"/api/v1/inboxes/{account.InboxId}/wechat");
        var column = await rig.Server.WithDbAsync(db => db.Inboxes.Where(i => i.Id == account.InboxId).Select(i => i.ChannelSettings).SingleAsync());

        var dto = JsonSerializer.Deserialize<JsonElement>(read);
        Assert.EndsWith($"/channels/wechat/{account.InboxId}", dto.GetProperty("callbackUrl").GetString());
        Assert.True(dto.GetProperty("safeMode").GetBoolean());
        foreach (var clear in new[] { secret, account.Token, account.AesKey! })
        {
            Assert.DoesNotContain(clear, read, StringComparison.Ordinal);
            Assert.DoesNotContain(clear, column!, StringComparison.Ordinal);
        }

        Assert.True(await rig.Server.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.TargetId == account.InboxId.ToString() && e.Action == AuditActions.SettingChanged)));
    }

    [Fact]
    public async Task Update_KeepsSecretsLeftOut_AndCanTurnSafeModeOff()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);

        var response = await admin.PutAsJsonAsync($"/api/v1/inboxes/{account.InboxId}/wechat", new { appId = account.AppId, encodingAesKey = "" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dto = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(dto.GetProperty("safeMode").GetBoolean());
        Assert.True(dto.GetProperty("hasSecret").GetBoolean());
        var plain = account with { AesKey = null };
        Assert.Equal(HttpStatusCode.OK, (await plain.TextAsync("o_plain", "now in plaintext")).StatusCode);
    }

    [Fact]
    public async Task CheckCredentials_AsksTheTokenEndpoint_AndReportsWeChatsErrorCode()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);

        var good = await (await admin.PostAsync($"/api/v1/inboxes/{account.InboxId}/wechat/check", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(good.GetProperty("ok").GetBoolean());
        Assert.Equal(1, rig.Api.TokenCallsOf(account.AppId));

        rig.Api.Apps[account.AppId] = "ffffffffffffffffffffffffffffffff";
        await admin.PutAsJsonAsync($"/api/v1/inboxes/{account.InboxId}/wechat", new { appId = account.AppId, appSecret = "0000000000000000ffffffffffffffff" });
        var bad = await (await admin.PostAsync($"/api/v1/inboxes/{account.InboxId}/wechat/check", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.Equal(40125, bad.GetProperty("errorCode").GetInt32());
    }

    [Fact]
    public async Task AnotherWorkspacesAdmin_Gets404_OnEveryWeChatRoute()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        var (_, otherEmail) = await rig.Server.CreateOtherTenantAsync();
        await rig.Server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await rig.Server.AgentHttpAsync(await rig.Server.AgentTokenAsync(otherEmail, Infrastructure.KefuFactory.AdminPassword));

        var get = await foreign.GetAsync($"/api/v1/inboxes/{account.InboxId}/wechat");
        var put = await foreign.PutAsJsonAsync($"/api/v1/inboxes/{account.InboxId}/wechat", new { appId = "wx0123456789abcdef" });
        var check = await foreign.PostAsync($"/api/v1/inboxes/{account.InboxId}/wechat/check", null);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { get.StatusCode, put.StatusCode, check.StatusCode });
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/inboxes/{account.InboxId}/wechat");
        Assert.Equal(account.AppId, stored.GetProperty("appId").GetString());
    }
}
