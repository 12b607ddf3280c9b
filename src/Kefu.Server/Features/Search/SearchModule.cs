using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Search over messages, conversations and contacts (ADR 0012): documents written from the durable lane and a start-up
/// backfill, a provider full-text index over pre-tokenised words, and one handler for REST and the console.
/// </summary>
internal static class SearchModule
{
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddHostedService<SearchIndexSchema>();
        services.AddSingleton<SearchIndexQueue>();
        services.AddSingleton<IOutboxConsumer, IndexMessages>();
        services.AddHostedService<FlushSearchIndex>();
        services.AddHostedService<SearchBackfill>();
        services.AddSingleton<IPersonalDataHolder, SearchPersonalData>();
        services.AddSingleton<SearchWorkspace>();
        services.AddSingleton<Contracts.INoteSearchIndex, NoteDocuments>();
        services.AddSingleton<Contracts.INoteSearchBackfill, NoteBackfillQuery>();
        return services;
    }

    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder api)
    {
        SearchWorkspace.Map(api);
        return api;
    }
}
