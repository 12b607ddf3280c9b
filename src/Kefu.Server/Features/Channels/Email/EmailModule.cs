using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// The e-mail channel: inbox settings with protected passwords, a watcher per mailbox (IMAP IDLE or polling, by UID,
/// under a lease), threading by signed reply tokens, and replies by SMTP through the channel seam.
/// </summary>
internal static class EmailModule
{
    public static IServiceCollection AddEmailChannel(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services.AddSingleton<EmailSecrets>()
            .AddSingleton<MailConnections>()
            .AddSingleton<EmailReplySignal>()
            .AddSingleton<WakeSignal>(sp => sp.GetRequiredService<EmailReplySignal>())
            .AddSingleton<IChannelSender, EmailSender>()
            .AddHostedService<SendReplies>()
            .AddSingleton<SendAutoReply>()
            .AddSingleton<ReceiveMail>()
            .AddSingleton<ReceiveTicketMail>()
            .AddSingleton<MailAttachments>()
            .AddSingleton<ITicketReplySender, EmailTicketReplies>()
            .AddSingleton<FetchMail>()
            .AddSingleton<MailboxWatcher>()
            .AddHostedService<EmailReceiver>()
            .AddSingleton<CreateEmailInbox>()
            .AddSingleton<Tickets.Contracts.ITicketMailOriginals, TicketMailOriginals>()
            .AddSingleton<GetEmailSettings>()
            .AddSingleton<UpdateEmailSettings>()
            .AddSingleton<TestEmailConnection>()
            .AddSingleton<ListConversationMail>()
            .AddSingleton<GetMailHtml>();
    }

    public static IEndpointRouteBuilder MapEmailChannelEndpoints(this IEndpointRouteBuilder api)
    {
        CreateEmailInbox.Map(api);
        GetEmailSettings.Map(api);
        UpdateEmailSettings.Map(api);
        TestEmailConnection.Map(api);
        ListConversationMail.Map(api);
        GetMailHtml.Map(api);
        return api;
    }
}
