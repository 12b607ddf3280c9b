using Kefu.Server.Features.Knowledge.Contracts;

namespace Kefu.Server.Features.Knowledge;

/// <summary>The knowledge base: FAQ articles, their import/export, the widget's self-service search and the trained models.</summary>
internal static class KnowledgeModule
{
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddSingleton<KnowledgeModelCache>();
        services.AddSingleton<IKnowledgeModels>(sp => sp.GetRequiredService<KnowledgeModelCache>());
        services.AddHostedService<KnowledgeWarmup>();
        services.AddSingleton<ListArticles>();
        services.AddSingleton<GetArticle>();
        services.AddSingleton<CreateArticle>();
        services.AddSingleton<UpdateArticle>();
        services.AddSingleton<DeleteArticle>();
        services.AddSingleton<ImportArticles>();
        services.AddSingleton<ExportArticles>();
        services.AddSingleton<SearchKnowledge>();
        services.AddSingleton<ReadArticle>();
        services.AddSingleton<RateArticle>();
        return services;
    }

    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder api)
    {
        ListArticles.Map(api);
        GetArticle.Map(api);
        CreateArticle.Map(api);
        UpdateArticle.Map(api);
        DeleteArticle.Map(api);
        ImportArticles.Map(api);
        ExportArticles.Map(api);
        SearchKnowledge.Map(api);
        ReadArticle.Map(api);
        RateArticle.Map(api);
        return api;
    }
}
