using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting.Mail;
using Microsoft.AspNetCore.Identity;
using MimeKit;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// Sends the reset mails that <see cref="RequestPasswordReset"/> queued: a token bound to the security stamp, a link to
/// the console's reset page under <c>Kefu:Mail:PublicUrl</c>, in English and Chinese. A deactivated account gets
/// nothing. A failed send is logged and dropped: the person can ask again.
/// </summary>
internal sealed partial class PasswordResetMailer(
    PasswordResetQueue queue, IServiceScopeFactory scopes, IMailSender mail, ILogger<PasswordResetMailer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var userId in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SendAsync(userId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e, userId);
            }
        }
    }

    private async Task SendAsync(Guid userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        if (await users.FindByIdAsync(userId.ToString()) is not { Email: { } email } user || user.LockoutEnd == DateTimeOffset.MaxValue)
        {
            return;
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = new Uri(mail.PublicUrl!, $"/console/reset-password?user={user.Id}&token={Uri.EscapeDataString(token)}");
        var message = new MimeMessage { Subject = "Reset your Kefu password / 重置 Kefu 密码" };
        message.To.Add(new MailboxAddress(user.DisplayName, email));
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Someone asked to reset the password of your Kefu account. To choose a new password, open this link within 30 minutes:

                {link}

                If it was not you, ignore this mail: your password stays as it is.

                有人请求重置您的 Kefu 账户密码。请在 30 分钟内打开以下链接设置新密码：

                {link}

                如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。
                """,
        };
        await mail.SendAsync(message, ct);
        LogSent(logger, user.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset mail sent to user {UserId}")]
    private static partial void LogSent(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The password reset mail to user {UserId} could not be sent")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid userId);
}
