using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// The server URL of an Official Account inbox (<c>/channels/wechat/{inboxId}</c>), which WeChat calls: <c>GET</c>
/// verifies the URL (echoes <c>echostr</c> when the signature matches), <c>POST</c> delivers a message or event,
/// in plaintext or, once the inbox has an EncodingAESKey, only in safe mode. Every check runs before anything is
/// stored: size, timestamp window, signature, XML without DTDs, <c>msg_signature</c>, decryption and AppID. A refusal
/// is logged with its reason and never with a secret or the body.
/// </summary>
internal sealed partial class ReceiveWeChatCallback(
    InboxDirectory inboxes, WeChatSettingsStore settingsStore, WeChatInbound inbound, IOptions<WeChatOptions> options, TimeProvider time,
    ILogger<ReceiveWeChatCallback> logger)
{
    /// <summary>The path WeChat is given, relative to Kefu's origin.</summary>
    public static string PathFor(Guid inboxId) => $"/channels/wechat/{inboxId}";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/channels/wechat/{id:guid}", (Guid id, HttpContext http, ReceiveWeChatCallback handler, CancellationToken ct) => handler.VerifyAsync(id, http.Request.Query, ct))
            .AllowAnonymous()
            .WithName("VerifyWeChatCallback")
            .WithTags("WeChat");
        app.MapPost("/channels/wechat/{id:guid}", (Guid id, HttpContext http, ReceiveWeChatCallback handler) => handler.ReceiveAsync(id, http.Request, http.RequestAborted))
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("ReceiveWeChatCallback")
            .WithTags("WeChat");
    }

    public async Task<Results<ContentHttpResult, ProblemHttpResult>> VerifyAsync(Guid id, IQueryCollection query, CancellationToken cancellationToken)
    {
        if (await SettingsAsync(id, cancellationToken) is not ({ } inbox, { } settings))
        {
            return KefuProblems.Problem(InboxErrors.InboxNotFound);
        }

        var refusal = Verify(settings, query);
        if (refusal is not null)
        {
            return Refuse(inbox.Id, refusal);
        }

        return TypedResults.Text(query["echostr"].ToString(), "text/plain");
    }

    public async Task<Results<ContentHttpResult, ProblemHttpResult>> ReceiveAsync(Guid id, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await SettingsAsync(id, cancellationToken) is not ({ } inbox, { } settings))
        {
            return KefuProblems.Problem(InboxErrors.InboxNotFound);
        }

        var body = await ReadCappedAsync(request, cancellationToken);
        if (body is null)
        {
            LogRefused(logger, inbox.Id, "body over the size limit");
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The callback is larger than WeChat sends.");
        }

        if (Verify(settings, request.Query) is { } refusal)
        {
            return Refuse(inbox.Id, refusal);
        }

        var fields = WeChatXml.Parse(body);
        if (fields is not null && settings.SafeMode)
        {
            // Once the inbox has a key, a plaintext callback is refused: accepting it would let anyone who learns the
            // token skip the encryption the admin turned on.
            if (request.Query["encrypt_type"] != "aes" || !fields.TryGetValue("Encrypt", out var encrypted) ||
                !WeChatCrypto.Matches(request.Query["msg_signature"], settings.Token!, request.Query["timestamp"]!, request.Query["nonce"]!, encrypted))
            {
                return Refuse(inbox.Id, "msg_signature missing or wrong");
            }

            if (WeChatCrypto.Decrypt(settings.EncodingAesKey!, encrypted, settings.AppId) is not { } plain)
            {
                return Refuse(inbox.Id, "does not decrypt for this AppID");
            }

            fields = WeChatXml.Parse(plain);
        }

        if (fields is null)
        {
            LogRefused(logger, inbox.Id, "not a WeChat XML document (or it has a DTD)");
            return KefuProblems.Problem(KefuError.InvalidRequest);
        }

        return await inbound.HandleAsync(inbox, fields, cancellationToken) switch
        {
            InboundOutcome.Failed => KefuProblems.Problem(KefuError.ServiceUnavailable), // WeChat retries a failed callback
            InboundOutcome.Greet when inbox.Greeting is { Length: > 0 } greeting => TypedResults.Text(Reply(settings, fields, greeting), "application/xml"),
            // WeChat's documented "received, nothing to say": it neither retries nor tells the follower the service failed.
            _ => TypedResults.Text("success", "text/plain"),
        };
    }

    /// <summary>Null when the query carries a fresh timestamp and the signature of the inbox's token; otherwise the reason.</summary>
    private string? Verify(WeChatSettings settings, IQueryCollection query)
    {
        var timestamp = query["timestamp"].ToString();
        var nonce = query["nonce"].ToString();
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || nonce.Length is 0 or > 64)
        {
            return "timestamp or nonce missing";
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if (age.Duration() > options.Value.ReplayWindow)
        {
            return "timestamp outside the replay window";
        }

        return WeChatCrypto.Matches(query["signature"], settings.Token!, timestamp, nonce) ? null : "signature wrong";
    }

    private ProblemHttpResult Refuse(Guid inboxId, string reason)
    {
        LogRefused(logger, inboxId, reason);
        return KefuProblems.Problem(WeChatErrors.CallbackRefused);
    }

    private async Task<(Inbox?, WeChatSettings?)> SettingsAsync(Guid id, CancellationToken cancellationToken)
    {
        var inbox = await inboxes.ByIdAsync(id, cancellationToken);
        var settings = inbox is { Channel: ChannelType.WeChatOfficialAccount, ArchivedAt: null } ? settingsStore.Read(inbox.ChannelSettings) : null;
        return settings?.Token is null ? (null, null) : (inbox, settings);
    }

    /// <summary>The body as text, or null when it is longer than <see cref="WeChatOptions.MaxCallbackBytes"/> (read no further than one byte past it).</summary>
    private static async Task<string?> ReadCappedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > WeChatOptions.MaxCallbackBytes)
        {
            return null;
        }

        var buffer = new byte[WeChatOptions.MaxCallbackBytes + 1];
        var read = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read > WeChatOptions.MaxCallbackBytes ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>A passive text reply (the greeting), encrypted with a fresh signature in safe mode.</summary>
    private string Reply(WeChatSettings settings, IReadOnlyDictionary<string, string> fields, string text)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var reply = WeChatXml.Write(("ToUserName", fields["FromUserName"]), ("FromUserName", fields.GetValueOrDefault("ToUserName", "")),
            ("CreateTime", now), ("MsgType", "text"), ("Content", text));
        if (!settings.SafeMode)
        {
            return reply;
        }

        var nonce = RandomNumberGenerator.GetString("0123456789", 10);
        var encrypted = WeChatCrypto.Encrypt(settings.EncodingAesKey!, reply, settings.AppId, RandomNumberGenerator.GetBytes(16));
        return WeChatXml.Write(("Encrypt", encrypted), ("MsgSignature", WeChatCrypto.Signature(settings.Token!, now, nonce, encrypted)),
            ("TimeStamp", now), ("Nonce", nonce));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat inbox {InboxId}: callback refused ({Reason})")]
    private static partial void LogRefused(ILogger logger, Guid inboxId, string reason);
}
