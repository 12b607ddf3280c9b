using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.SignIn;
using Kefu.Server.Hosting;
using Kefu.Server.Hosting.Mail;
using Microsoft.AspNetCore.Identity;
using MimeKit;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>
/// Invitation mails: a link to the console's "set your password" page under <c>Kefu:Mail:PublicUrl</c> (never the
/// request's Host header), with a token bound to the user's security stamp that works for seven days and once
/// (setting the password renews the stamp). Sent while the admin waits, so a mail server that refuses is reported
/// to them instead of leaving a colleague who never hears of it.
/// </summary>
internal sealed partial class AgentInvitations(UserManager<AgentUser> users, IMailSender mail, ILogger<AgentInvitations> logger)
{
    /// <summary>False when the server sends no mail: people must then be given an initial password.</summary>
    public bool CanSend => mail.IsConfigured;

    /// <summary>Sends the invitation; <see cref="PeopleErrors.MailFailed"/> when the mail server refused it.</summary>
    public async Task<KefuError?> SendAsync(AgentUser user, string invitedBy, CancellationToken ct)
    {
        if (!mail.IsConfigured)
        {
            return PeopleErrors.MailNotConfigured;
        }

        var token = await users.GenerateUserTokenAsync(user, PasswordResetTokens.ProviderName, PasswordResetTokens.InvitationPurpose);
        var link = new Uri(mail.PublicUrl!, $"/console/accept-invitation?user={user.Id}&token={Uri.EscapeDataString(token)}");
        var message = new MimeMessage { Subject = "You are invited to Kefu / 邀请您加入 Kefu" };
        message.To.Add(new MailboxAddress(user.DisplayName, user.Email ?? ""));
        message.Body = new TextPart("plain")
        {
            Text = $"""
                {invitedBy} added you to their customer service team on Kefu. To choose your password and sign in, open this link within 7 days:

                {link}

                If you did not expect this mail, ignore it.

                {invitedBy} 邀请您加入 Kefu 客服团队。请在 7 天内打开以下链接设置密码并登录：

                {link}

                如果这不是您预期的邮件，请忽略。
                """,
        };
        try
        {
            await mail.SendAsync(message, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, user.Id);
            return PeopleErrors.MailFailed;
        }

        LogSent(logger, user.Id);
        return null;
    }

    /// <summary>True when <paramref name="token"/> is a live invitation of <paramref name="user"/>.</summary>
    public Task<bool> IsValidAsync(AgentUser user, string token) =>
        users.VerifyUserTokenAsync(user, PasswordResetTokens.ProviderName, PasswordResetTokens.InvitationPurpose, token);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invitation mail sent to user {UserId}")]
    private static partial void LogSent(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The invitation mail to user {UserId} could not be sent")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid userId);
}
