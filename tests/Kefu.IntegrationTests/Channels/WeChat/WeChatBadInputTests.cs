using System.Globalization;
using System.Net;
using System.Text;
using Kefu.Server.Features.Channels.WeChat;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Channels.WeChat;

/// <summary>
/// Every bad callback of issue 18 through real HTTP: refused with the status WeChat's side sees, nothing stored (no
/// conversation, no contact mapping), and the reason logged without the token, key or body.
/// </summary>
public sealed class WeChatBadInputTests(WeChatRig rig) : IClassFixture<WeChatRig>
{
    private static string Text(string openId) => WeChatXml.Write(("ToUserName", WeChatAccount.AccountId), ("FromUserName", openId),
        ("CreateTime", WeChatAccount.Now()), ("MsgType", "text"), ("Content", "secret-free body"), ("MsgId", "42"));

    [Fact]
    public async Task AWrongSignature_Is403_AndNothingStored() =>
        await RefusedAsync(HttpStatusCode.Forbidden, "signature wrong", (a, o) => a.PostAsync(Text(o), token: "notthetoken"));

    [Fact]
    public async Task AReplayedTimestamp_OlderThanFiveMinutes_Is403() =>
        await RefusedAsync(HttpStatusCode.Forbidden, "replay window", (a, o) =>
            a.PostAsync(Text(o), timestamp: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

    [Fact]
    public async Task AnAppIdThatIsNotTheInboxs_Is403() =>
        await RefusedAsync(HttpStatusCode.Forbidden, "AppID", (a, o) => a.PostAsync(Text(o), appId: "wx0000000000000000"));

    [Fact]
    public async Task PlaintextToASafeModeInbox_Is403() =>
        await RefusedAsync(HttpStatusCode.Forbidden, "msg_signature", (a, o) => a.PostAsync(Text(o), encrypt: false));

    [Fact]
    public async Task AnXmlBomb_Is400() =>
        await RefusedAsync(HttpStatusCode.BadRequest, "DTD", (a, o) => a.PostAsync(
            """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>""" +
            $"<xml><FromUserName>{o}</FromUserName><MsgType>text</MsgType><Content>&c;</Content><MsgId>1</MsgId></xml>"));

    [Fact]
    public async Task AnExternalEntity_Is400() =>
        await RefusedAsync(HttpStatusCode.BadRequest, "DTD", (a, o) => a.PostAsync(
            """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>""" +
            $"<xml><FromUserName>{o}</FromUserName><MsgType>text</MsgType><Content>&e;</Content><MsgId>1</MsgId></xml>"));

    [Fact]
    public async Task ABodyOverTheSizeLimit_Is413() =>
        await RefusedAsync(HttpStatusCode.RequestEntityTooLarge, "size limit", (a, o) =>
            a.PostAsync(WeChatXml.Write(("FromUserName", o), ("MsgType", "text"), ("Content", new string('x', WeChatOptions.MaxCallbackBytes)), ("MsgId", "1"))));

    [Fact]
    public async Task AnUnknownMessageType_IsAnsweredSuccess_SoWeChatDoesNotRetry_AndNothingStored() =>
        await RefusedAsync(HttpStatusCode.OK, "type hologram", (a, o) => a.PostAsync(WeChatXml.Write(("ToUserName", WeChatAccount.AccountId),
            ("FromUserName", o), ("CreateTime", WeChatAccount.Now()), ("MsgType", "hologram"), ("MsgId", "77"))));

    [Fact]
    public async Task UrlVerification_EchoesOnlyForTheRightSignature()
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        using var http = rig.Server.Http();
        var timestamp = WeChatAccount.Now();
        var good = WeChatCrypto.Signature(account.Token, timestamp, "123");

        var ok = await http.GetAsync($"{account.Path}?signature={good}&timestamp={timestamp}&nonce=123&echostr=5838479218127813673");
        var bad = await http.GetAsync($"{account.Path}?signature={good}&timestamp={timestamp}&nonce=124&echostr=5838479218127813673");
        var unknown = await http.GetAsync($"/channels/wechat/{Guid.NewGuid()}?signature={good}&timestamp={timestamp}&nonce=123&echostr=1");

        Assert.Equal("5838479218127813673", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        Assert.DoesNotContain("5838479218127813673", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AWidgetInbox_HasNoWeChatCallback()
    {
        var widgetInbox = await rig.Server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey != null).Select(i => i.Id).FirstAsync());
        using var http = rig.Server.Http();
        var response = await http.PostAsync($"/channels/wechat/{widgetInbox}?signature=x&timestamp=1&nonce=1", new StringContent("<xml/>", Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task RefusedAsync(HttpStatusCode expected, string reason, Func<WeChatAccount, string, Task<HttpResponseMessage>> send)
    {
        using var admin = await rig.Server.AgentHttpAsync();
        var account = await rig.ConnectAsync(admin);
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];

        var response = await send(account, openId);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(0, await rig.Server.WithDbAsync(db => db.Conversations.CountAsync(c => c.InboxId == account.InboxId)));
        Assert.Equal(0, await rig.Server.WithDbAsync(db => db.Set<WeChatRecipient>().CountAsync(r => r.InboxId == account.InboxId)));
        var logged = rig.Logs.Entries.Where(e => e.Text.Contains(account.InboxId.ToString(), StringComparison.Ordinal)).Select(e => e.Text).ToList();
        Assert.Contains(logged, text => text.Contains(reason, StringComparison.Ordinal));
        Assert.DoesNotContain(logged, text => text.Contains(account.Token, StringComparison.Ordinal) || account.AesKey is { } key && text.Contains(key, StringComparison.Ordinal) ||
                                               text.Contains("secret-free body", StringComparison.Ordinal));
    }
}
