using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Conversations;

/// <summary>Conversations and messages: the durable message path, history, status, attachments.</summary>
internal static class ConversationsModule
{
    public static IServiceCollection AddConversations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConversationsOptions>().Bind(configuration.GetSection(ConversationsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AttachmentUrls>();
        services.AddSingleton<ConversationMapper>();
        services.AddSingleton<ConversationDirectory>();
        services.AddSingleton<IConversationDirectory>(sp => sp.GetRequiredService<ConversationDirectory>());
        services.AddSingleton<MessageBatchProcessor>();
        services.AddSingleton<MessageWriter>();
        services.AddSingleton<IMessageWriter>(sp => sp.GetRequiredService<MessageWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<MessageWriter>());
        services.AddSingleton<SendMessage>();
        services.AddSingleton<IConversationCommands, ConversationCommands>();
        services.AddSingleton<IInboundMessages>(sp => sp.GetRequiredService<SendMessage>());
        services.AddSingleton<GetMessages>();
        services.AddSingleton<ListConversations>();
        services.AddSingleton<CountConversations>();
        services.AddSingleton<IConversationReader>(sp => sp.GetRequiredService<ListConversations>());
        services.AddSingleton<ConversationAccess>();
        services.AddSingleton<IConversationAccess>(sp => sp.GetRequiredService<ConversationAccess>());
        services.AddSingleton<ChangeConversation>();
        services.AddSingleton<ResolveConversation>();
        services.AddSingleton<ReopenConversation>();
        services.AddSingleton<MarkConversationRead>();
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<IReceivedFiles, ReceivedFiles>();
        services.AddSingleton<IWorkspaceFiles, WorkspaceFiles>();
        services.AddSingleton<IVoiceMessages, VoiceMessages>();
        services.AddSingleton<IPersonalDataHolder, AttachmentPersonalData>();
        return services;
    }

    public static IEndpointRouteBuilder MapConversationsEndpoints(this IEndpointRouteBuilder api)
    {
        ListConversations.Map(api);
        CountConversations.Map(api);
        GetMessages.Map(api);
        SendMessage.Map(api);
        ResolveConversation.Map(api);
        ReopenConversation.Map(api);
        MarkConversationRead.Map(api);
        UploadAttachment.Map(api);
        DownloadAttachment.Map(api);
        return api;
    }
}
