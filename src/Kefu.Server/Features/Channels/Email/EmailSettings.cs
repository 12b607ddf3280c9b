using System.Security.Cryptography;
using System.Text.Json;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting.Mail;
using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// An e-mail inbox's settings as stored in <see cref="Inbox.ChannelSettings"/>. Passwords and the reply-token key
/// are Data Protection payloads: a copy of the database alone opens no mailbox.
/// </summary>
internal sealed record EmailSettings(
    string ImapHost, int ImapPort, MailSecurity ImapSecurity, string ImapUserName, string? ImapPassword,
    string SmtpHost, int SmtpPort, MailSecurity SmtpSecurity, string? SmtpUserName, string? SmtpPassword,
    string FromAddress, string? FromName, string? Signature, string? AutoReply, string ReplyKey, bool Tickets = false)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static EmailSettings? Read(Inbox inbox) =>
        inbox.Channel == ChannelType.Email && inbox.ChannelSettings is { } json ? JsonSerializer.Deserialize<EmailSettings>(json, Json) : null;

    public string Write() => JsonSerializer.Serialize(this, Json);

    /// <summary>What the API and the console show: everything but the secrets, which are only said to be set.</summary>
    public EmailSettingsDto ToDto() => new(ImapHost, ImapPort, ImapSecurity, ImapUserName, ImapPassword is not null,
        SmtpHost, SmtpPort, SmtpSecurity, SmtpUserName, SmtpPassword is not null, FromAddress, FromName, Signature, AutoReply, Tickets);
}

/// <summary>Protects the secrets of e-mail inboxes with ASP.NET Data Protection (purpose <c>Kefu.EmailInbox.v1</c>).</summary>
internal sealed class EmailSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Kefu.EmailInbox.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string payload) => _protector.Unprotect(payload);

    /// <summary>A new key for the inbox's reply tokens, protected.</summary>
    public string NewReplyKey() => Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    public byte[] ReplyKey(EmailSettings settings) => Convert.FromBase64String(Unprotect(settings.ReplyKey));
}
