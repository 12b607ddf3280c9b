using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Tickets: numbered per workspace, a status table, a thread of public replies and internal notes, SLA clocks swept in
/// the background, views, merge, related links and follow-ups. Made from the API, the console, a conversation, the
/// widget's offline form and channels (<see cref="ITicketReplies"/>). See ADR 0024.
/// </summary>
internal static class TicketsModule
{
    public static IServiceCollection AddTickets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TicketsOptions>().Bind(configuration.GetSection(TicketsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TicketGate>();
        services.AddSingleton<TicketChanges>();
        services.AddSingleton<TicketConversationIndex>();
        services.AddHostedService(sp => sp.GetRequiredService<TicketConversationIndex>());
        services.AddSingleton<TicketWriter>();
        services.AddSingleton<TicketReplies>();
        services.AddSingleton<ITicketReplies>(sp => sp.GetRequiredService<TicketReplies>());
        services.AddSingleton<CreateTicket>();
        services.AddSingleton<GetTicket>();
        services.AddSingleton<DownloadTicketAttachment>();
        services.AddSingleton<ListTickets>();
        services.AddSingleton<UpdateTicket>();
        services.AddSingleton<AddTicketEntry>();
        services.AddSingleton<MergeTicket>();
        services.AddSingleton<LinkTickets>();
        services.AddSingleton<SlaPolicies>();
        services.AddSingleton<SlaRules>();
        services.AddSingleton<CreateTicketField>();
        services.AddSingleton<ListTicketFields>();
        services.AddSingleton<UpdateTicketField>();
        services.AddSingleton<ArchiveTicketField>();
        services.AddSingleton<GetTicketMailHtml>();
        services.AddSingleton<TicketSavedViews>();
        services.AddSingleton<SaveTicketView>();
        services.AddSingleton<TicketFollowers>();
        services.AddSingleton<ITicketTitles>(sp => sp.GetRequiredService<TicketFollowers>());
        services.AddSingleton<FollowTicket>();
        services.AddSingleton<TicketSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<TicketSweep>());
        services.AddSingleton<IOutboxConsumer, TicketChatReplies>();
        services.AddSingleton<IOutboxConsumer, TicketsFromLowScores>();
        services.AddSingleton<TicketContactHistory>();
        services.AddSingleton<Accounts.Contracts.IPersonalDataHolder, TicketPersonalData>();
        services.AddSingleton<Contacts.Contracts.IContactHistorySource>(sp => sp.GetRequiredService<TicketContactHistory>());
        services.AddSingleton<Contacts.Contracts.IContactMergeParticipant>(sp => sp.GetRequiredService<TicketContactHistory>());
        return services;
    }

    public static IEndpointRouteBuilder MapTicketsEndpoints(this IEndpointRouteBuilder api)
    {
        SlaPolicies.Map(api);
        SlaRules.Map(api);
        CreateTicketField.Map(api);
        ListTicketFields.Map(api);
        UpdateTicketField.Map(api);
        ArchiveTicketField.Map(api);
        GetTicketMailHtml.Map(api);
        TicketSavedViews.Map(api);
        SaveTicketView.Map(api);
        FollowTicket.Map(api);
        CreateTicket.Map(api);
        ListTickets.Map(api);
        GetTicket.Map(api);
        DownloadTicketAttachment.Map(api);
        UpdateTicket.Map(api);
        AddTicketEntry.Map(api);
        MergeTicket.Map(api);
        LinkTickets.Map(api);
        return api;
    }
}
