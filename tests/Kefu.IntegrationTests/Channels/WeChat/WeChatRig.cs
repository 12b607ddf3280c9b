using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Channels.WeChat;

namespace Kefu.IntegrationTests.Channels.WeChat;

/// <summary>A Kefu server whose WeChat API is the local fake, shared by the tests of a class (the demo inbox's bot knowledge is seeded).</summary>
public sealed class WeChatRig : IAsyncLifetime
{
    internal FakeWeChatApi Api { get; private set; } = null!;

    public KefuFactory Server { get; private set; } = null!;

    public LogCollector Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Api = await FakeWeChatApi.StartAsync();
        Server = new KefuFactory
        {
            Bot = true, Logs = Logs,
            Settings = new Dictionary<string, string> { ["Kefu:WeChat:ApiBaseUrl"] = Api.BaseUrl },
        }.Start();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Api.DisposeAsync();
    }

    /// <summary>A new Official Account inbox (its own AppID, registered with the fake API), in safe mode when <paramref name="safe"/>.</summary>
    internal async Task<WeChatAccount> ConnectAsync(HttpClient admin, bool safe = true)
    {
        var appId = "wx" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16];
        var secret = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) ;
        var key = safe ? Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray()).TrimEnd('=').Replace('+', 'a').Replace('/', 'b') : null;
        Api.Apps[appId] = secret;
        var response = await admin.PostAsJsonAsync("/api/v1/inboxes/wechat", new { name = "WeChat " + appId[^4..], appId, appSecret = secret, token = "kefutoken1", encodingAesKey = key });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var dto = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new WeChatAccount(Server, dto.GetProperty("inboxId").GetGuid(), appId, "kefutoken1", key);
    }
}

/// <summary>Plays WeChat's side of one account: signs (and in safe mode encrypts) callbacks exactly as the platform does.</summary>
internal sealed record WeChatAccount(KefuFactory Server, Guid InboxId, string AppId, string Token, string? AesKey)
{
    public const string AccountId = "gh_kefu_test";

    public string Path => $"/channels/wechat/{InboxId}";

    public static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A text message from <paramref name="openId"/>.</summary>
    public Task<HttpResponseMessage> TextAsync(string openId, string text, long? msgId = null) =>
        PostAsync(WeChatXml.Write(("ToUserName", AccountId), ("FromUserName", openId), ("CreateTime", Now()), ("MsgType", "text"),
            ("Content", text), ("MsgId", (msgId ?? Random.Shared.NextInt64(1, long.MaxValue)).ToString(CultureInfo.InvariantCulture))));

    /// <summary>An event (<c>subscribe</c>, <c>CLICK</c> …) from <paramref name="openId"/>.</summary>
    public Task<HttpResponseMessage> EventAsync(string openId, string name, string key = "") =>
        PostAsync(WeChatXml.Write(("ToUserName", AccountId), ("FromUserName", openId), ("CreateTime", Now()), ("MsgType", "event"),
            ("Event", name), ("EventKey", key)));

    /// <summary>
    /// Posts <paramref name="xml"/> as WeChat does: query <c>signature</c>, <c>timestamp</c>, <c>nonce</c>, <c>openid</c>
    /// and, in safe mode, <c>encrypt_type=aes</c> with <c>msg_signature</c> over the ciphertext. Each part can be spoiled.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(string xml, string? timestamp = null, string? token = null, string? appId = null, bool encrypt = true, string? rawBody = null)
    {
        timestamp ??= Now();
        var nonce = Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        var signature = WeChatCrypto.Signature(token ?? Token, timestamp, nonce);
        var url = $"{Path}?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid=o";
        var body = xml;
        if (AesKey is not null && encrypt)
        {
            var encrypted = WeChatCrypto.Encrypt(AesKey, xml, appId ?? AppId, Guid.NewGuid().ToByteArray());
            url += $"&encrypt_type=aes&msg_signature={WeChatCrypto.Signature(token ?? Token, timestamp, nonce, encrypted)}";
            body = WeChatXml.Write(("ToUserName", AccountId), ("Encrypt", encrypted));
        }

        using var http = Server.Http();
        return await http.PostAsync(url, new StringContent(rawBody ?? body, Encoding.UTF8, "text/xml"));
    }

    /// <summary>The fields of a passive reply, decrypted and its signature checked in safe mode.</summary>
    public IReadOnlyDictionary<string, string> ReadReply(string body)
    {
        var fields = WeChatXml.Parse(body)!;
        if (AesKey is null)
        {
            return fields;
        }

        Assert.True(WeChatCrypto.Matches(fields["MsgSignature"], Token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"]));
        return WeChatXml.Parse(WeChatCrypto.Decrypt(AesKey, fields["Encrypt"], AppId)!)!;
    }
}
