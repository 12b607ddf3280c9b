using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kefu.Server.Hosting.Mail;

/// <summary>
/// MailKit's SMTP client, one connection per message: reset mails are rare, and a held connection would need
/// reconnect logic for servers that drop idle clients.
/// </summary>
internal sealed class SmtpMailSender(IOptions<MailOptions> options) : IMailSender
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public bool IsConfigured => options.Value.IsConfigured;

    public Uri? PublicUrl => IsConfigured ? new Uri(options.Value.PublicUrl!) : null;

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.IsConfigured)
        {
            throw new InvalidOperationException($"Mail is not configured ({MailOptions.Section}:Host).");
        }

        if (message.From.Count == 0)
        {
            message.From.Add(MailboxAddress.Parse(o.From!));
        }

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        await client.ConnectAsync(o.Host!, o.Port, o.SocketOptions, ct);
        if (!string.IsNullOrEmpty(o.UserName))
        {
            await client.AuthenticateAsync(o.UserName, o.Password ?? "", ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}

/// <summary>Registers <see cref="IMailSender"/> and validates <c>Kefu:Mail</c> at start.</summary>
internal static class MailModule
{
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddSingleton<IMailSender, SmtpMailSender>();
        return services;
    }

    private sealed class MailOptionsValidator : IValidateOptions<MailOptions>
    {
        public ValidateOptionsResult Validate(string? name, MailOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
