using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Collaboration;

/// <summary>Agents working together on a conversation: private notes and mentions, following, snooze and pending.</summary>
internal static class CollaborationModule
{
    public static IServiceCollection AddCollaboration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CollaborationOptions>().Bind(configuration.GetSection(CollaborationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MentionResolver>();
        services.AddSingleton<NoteReader>();
        services.AddSingleton<AddNote>();
        services.AddSingleton<Accounts.Contracts.IPersonalDataHolder, NotePersonalData>();
        services.AddSingleton<ChangeNote>();
        services.AddSingleton<Contracts.ICollaborationCommands, CollaborationCommands>();
        services.AddSingleton<ListNotes>();
        services.AddSingleton<FollowConversation>();
        services.AddSingleton<SnoozeStates>();
        services.AddSingleton<SnoozeConversation>();
        services.AddSingleton<MarkPending>();
        services.AddSingleton<OpenConversation>();
        services.AddSingleton<IOutboxConsumer, CollaborationEvents>();
        services.AddSingleton<SnoozeExpiryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<SnoozeExpiryWorker>());
        services.AddSingleton<NoteSearchBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<NoteSearchBackfill>());
        return services;
    }

    public static IEndpointRouteBuilder MapCollaborationEndpoints(this IEndpointRouteBuilder api)
    {
        AddNote.Map(api);
        ChangeNote.Map(api);
        ListNotes.Map(api);
        FollowConversation.Map(api);
        SnoozeConversation.Map(api);
        MarkPending.Map(api);
        OpenConversation.Map(api);
        return api;
    }
}
