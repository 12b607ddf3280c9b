using System.Globalization;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>What the callback answers WeChat after a message was handled.</summary>
internal enum InboundOutcome
{
    /// <summary>Stored (or already stored: a retry).</summary>
    Stored,

    /// <summary>Understood and deliberately not stored (unsubscribe, scan, view, unknown types).</summary>
    Ignored,

    /// <summary>A new follower: answer with the inbox's greeting.</summary>
    Greet,

    /// <summary>Refused by the message path (nothing stored); WeChat should retry.</summary>
    Failed,
}

/// <summary>
/// Turns one verified callback message into a customer's message: the openid (or unionid, when WeChat sends it) becomes
/// the contact, the message goes through the same inbound path as every channel (idempotent by <c>MsgId</c>, so
/// WeChat's three retries store it once), and a number answering the bot's last choices becomes that button press.
/// </summary>
internal sealed partial class WeChatInbound(
    IDbContextFactory<KefuDbContext> dbFactory, IContactIdentities identities, IInboundMessages inbound, IMessageWriter writer,
    TimeProvider time, ILogger<WeChatInbound> logger)
{
    public async Task<InboundOutcome> HandleAsync(Inbox inbox, IReadOnlyDictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var type = Field(fields, "MsgType");
        var openId = Field(fields, "FromUserName");
        if (openId is not { Length: > 0 and <= 64 })
        {
            LogUnknown(logger, inbox.Id, "no sender");
            return InboundOutcome.Ignored;
        }

        var (text, clientId) = type switch
        {
            "event" => Event(fields),
            _ => (Describe(type, fields), Field(fields, "MsgId") is { Length: > 0 and <= 32 } id && id.All(char.IsAsciiDigit) ? "wx:" + id : null),
        };
        if (type == "event" && Field(fields, "Event") == "subscribe")
        {
            return InboundOutcome.Greet;
        }

        if (text is null || clientId is null)
        {
            if (type == "event")
            {
                LogIgnored(logger, inbox.Id, "event " + Clip(Field(fields, "Event")));
            }
            else
            {
                // A type this channel does not know (or a message without an id): worth an operator's look, unlike an unsubscribe.
                LogUnknown(logger, inbox.Id, "type " + Clip(type));
            }

            return InboundOutcome.Ignored;
        }

        var contact = await ContactAsync(inbox, openId, Field(fields, "UnionId"), cancellationToken);
        if (contact is null)
        {
            return InboundOutcome.Failed;
        }

        var (pressed, error) = await ChoiceAsync(inbox, contact.Value, text, cancellationToken);
        if (!pressed)
        {
            error = (await inbound.ReceiveAsync(new InboundMessage(inbox.TenantId, inbox.Id, contact.Value, clientId, Clip(text, MessageRules.MaxTextLength)), cancellationToken)).Error;
        }

        if (error is not null)
        {
            LogRefused(logger, inbox.Id, error.Code);
            return InboundOutcome.Failed;
        }

        return InboundOutcome.Stored;
    }

    /// <summary>The text a message type is stored as; null for a type this channel does not take.</summary>
    private static string? Describe(string? type, IReadOnlyDictionary<string, string> f) => type switch
    {
        "text" => Field(f, "Content"),
        // Voice keeps WeChat's speech recognition when the account has it on: the bot and the agent read the words.
        "voice" => Field(f, "Recognition") is { Length: > 0 } words ? words : "[voice]",
        "image" => "[image] " + Field(f, "PicUrl"),
        "video" or "shortvideo" => "[video]",
        "location" => string.Create(CultureInfo.InvariantCulture, $"[location] {Field(f, "Label")} ({Field(f, "Location_X")}, {Field(f, "Location_Y")})"),
        "link" => $"{Field(f, "Title")}\n{Field(f, "Description")}\n{Field(f, "Url")}".Trim(),
        _ => null,
    };

    /// <summary>A menu click is the customer asking for the menu item; subscribe greets; the rest is noted in the log only.</summary>
    private static (string? Text, string? ClientId) Event(IReadOnlyDictionary<string, string> f) =>
        Field(f, "Event") == "CLICK" && Field(f, "EventKey") is { Length: > 0 } key && Field(f, "CreateTime") is { Length: > 0 and <= 12 } at && at.All(char.IsAsciiDigit)
            ? ("[menu] " + key, "wxe:" + at + ":click")
            : (null, null);

    private async Task<Guid?> ContactAsync(Inbox inbox, string openId, string? unionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var known = await db.Set<WeChatRecipient>().AsNoTracking().Where(r => r.InboxId == inbox.Id && r.OpenId == openId)
            .Select(r => (Guid?)r.ContactId).FirstOrDefaultAsync(cancellationToken);
        if (known is not null)
        {
            return known;
        }

        // A unionid names the person across the owner's accounts: resolve by it first, so the Mini Program's and the
        // Official Account's conversations share one contact.
        var name = "WeChat " + openId[^Math.Min(4, openId.Length)..];
        var contact = unionId is { Length: > 0 }
            ? await identities.ResolveAsync(inbox.TenantId, IdentityKind.WeChatUnionId, unionId, name, cancellationToken)
            : await identities.ResolveAsync(inbox.TenantId, IdentityKind.WeChatOpenId, openId, name, cancellationToken);
        if (contact is not { } id)
        {
            return null;
        }

        if (unionId is { Length: > 0 })
        {
            await identities.AttachAsync(inbox.TenantId, id, IdentityKind.WeChatOpenId, openId, cancellationToken);
        }

        db.Add(new WeChatRecipient { InboxId = inbox.Id, OpenId = openId, TenantId = inbox.TenantId, ContactId = id, CreatedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // WeChat's retry raced the first delivery to this insert: the row is there, with the same contact.
        }

        return id;
    }

    /// <summary>
    /// WeChat cannot show buttons, so the bot's choices went out numbered (<see cref="WeChatOutbound"/>): a bare number
    /// answering the conversation's latest message, when that is a bot message with choices, is that button pressed,
    /// stored with the widget's press id (<c>act:{message}:{index}</c>) so the bot reads it the same way.
    /// </summary>
    private async Task<(bool Pressed, KefuError? Error)> ChoiceAsync(Inbox inbox, Guid contact, string text, CancellationToken cancellationToken)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 20)
        {
            return (false, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.InboxId == inbox.Id && c.ContactId == contact && c.Status != ConversationStatus.Resolved)
            .OrderByDescending(c => c.CreatedAt).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        var last = conversation is null ? null : await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation)
            .OrderByDescending(m => m.Seq).Select(m => new { m.Id, m.SenderType, m.Actions }).FirstOrDefaultAsync(cancellationToken);
        var choices = last?.SenderType == SenderType.Bot ? WeChatOutbound.Choices(MessageActions.Read(last.Actions)) : [];
        if (number > choices.Count)
        {
            return (false, null);
        }

        var index = MessageActions.Read(last!.Actions)!.ToList().IndexOf(choices[number - 1]);
        var press = new MessageWrite(inbox.TenantId, inbox.Id, contact, null, $"act:{last.Id:N}:{index}", SenderType.Visitor, contact, null,
            choices[number - 1].Label, null);
        // The press id, not WeChat's MsgId, makes a retry a no-op: one number answers one bot message once.
        var (_, error) = await writer.WriteAsync(press, cancellationToken);
        return (true, error);
    }

    private static string? Field(IReadOnlyDictionary<string, string> fields, string name) => fields.TryGetValue(name, out var value) ? value : null;

    private static string Clip(string? text, int max = 20) => text is null ? "(none)" : text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat inbox {InboxId}: callback not stored ({Reason})")]
    private static partial void LogIgnored(ILogger logger, Guid inboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat inbox {InboxId}: callback not stored ({Reason})")]
    private static partial void LogUnknown(ILogger logger, Guid inboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat inbox {InboxId}: the message path refused a callback message ({Code})")]
    private static partial void LogRefused(ILogger logger, Guid inboxId, string code);
}
