namespace Kefu.Server.Features.CannedReplies;

/// <summary>Canned replies (话术库): personal, team and shared answers an agent inserts with <c>/shortcut</c>.</summary>
internal static class CannedRepliesModule
{
    public static IServiceCollection AddCannedReplies(this IServiceCollection services)
    {
        services.AddSingleton<ListCannedReplies>();
        services.AddSingleton<GetCannedReply>();
        services.AddSingleton<SaveCannedReply>();
        services.AddSingleton<DeleteCannedReply>();
        services.AddSingleton<UseCannedReply>();
        services.AddSingleton<Contracts.ICannedReplyFiller>(sp => sp.GetRequiredService<UseCannedReply>());
        services.AddSingleton<ExportCannedReplies>();
        services.AddSingleton<ImportCannedReplies>();
        return services;
    }

    public static IEndpointRouteBuilder MapCannedRepliesEndpoints(this IEndpointRouteBuilder api)
    {
        // export before {id}: the literal segment must not be read as an id (it is not a guid, but keep the order obvious)
        ExportCannedReplies.Map(api);
        ImportCannedReplies.Map(api);
        ListCannedReplies.Map(api);
        GetCannedReply.Map(api);
        SaveCannedReply.Map(api);
        DeleteCannedReply.Map(api);
        UseCannedReply.Map(api);
        return api;
    }
}
