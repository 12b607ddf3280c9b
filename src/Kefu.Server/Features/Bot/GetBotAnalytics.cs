using Kefu.Nlu;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot;

/// <summary><c>GET /api/v1/bot/analytics?days=30</c> (admins): containment, hand-off reasons, helpfulness, unanswered questions.</summary>
internal sealed class GetBotAnalytics(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    private const int MaxUnanswered = 1000;
    private const int MaxGroups = 20;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/bot/analytics", async Task<Results<Ok<BotAnalyticsDto>, ValidationProblem>> (HttpContext http, GetBotAnalytics handler, CancellationToken ct, int days = 30) =>
                days is < 1 or > 366
                    ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = ["days must be between 1 and 366."] })
                    : TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, days, ct)))
            .WithName("GetBotAnalytics")
            .WithTags("Bot")
            .RequireAuthorization(AccessPolicies.For(Permission.Reports));

    public async Task<BotAnalyticsDto> HandleAsync(Guid tenantId, int days, CancellationToken cancellationToken)
    {
        var to = time.GetUtcNow().UtcDateTime;
        var from = to.AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var conversations = await db.BotTurns.AsNoTracking().Where(t => t.TenantId == tenantId && t.CreatedAt >= from)
            .Select(t => t.ConversationId).Distinct().ToListAsync(cancellationToken);
        var handoffs = await db.HandoffPackets.AsNoTracking().Where(p => p.TenantId == tenantId && p.CreatedAt >= from)
            .Select(p => new { p.ConversationId, p.Reason }).ToListAsync(cancellationToken);
        var withAgent = await db.Messages.AsNoTracking()
            .Where(m => conversations.Contains(m.ConversationId) && m.SenderType == SenderType.Agent)
            .Select(m => m.ConversationId).Distinct().ToListAsync(cancellationToken);
        var feedback = await db.ArticleFeedback.AsNoTracking().Where(f => f.TenantId == tenantId && f.CreatedAt >= from)
            .GroupBy(f => f.Helpful).Select(g => new { Helpful = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var questions = await db.BotTurns.AsNoTracking().Where(t => t.TenantId == tenantId && t.CreatedAt >= from && t.Unanswered && t.Question != null)
            .OrderByDescending(t => t.Id).Take(MaxUnanswered).Select(t => t.Question!).ToListAsync(cancellationToken);

        var touched = handoffs.Select(h => h.ConversationId).Concat(withAgent).ToHashSet();
        var contained = conversations.Count(c => !touched.Contains(c));
        var helpful = feedback.Where(f => f.Helpful).Sum(f => f.Count);
        var notHelpful = feedback.Where(f => !f.Helpful).Sum(f => f.Count);
        var reasons = handoffs.GroupBy(h => h.Reason).Select(g => new ReasonCountDto(g.Key, g.Count()))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList();
        return new BotAnalyticsDto(from, to, conversations.Count, contained, Ratio(contained, conversations.Count), reasons,
            helpful, notHelpful, Ratio(helpful, helpful + notHelpful), Group(questions));
    }

    /// <summary>Groups per language (a Chinese and an English question never share words), largest group first.</summary>
    private static List<UnansweredGroupDto> Group(List<string> questions) => questions
        .GroupBy(ArticleRules.DetectLanguage)
        .SelectMany(byLanguage =>
        {
            var texts = byLanguage.ToList();
            return SimilarityGrouper.Group(texts).Select(g => new UnansweredGroupDto(
                texts[g.Representative],
                g.Members.Count,
                g.Members.Where(m => m != g.Representative).Select(m => texts[m])
                    .Distinct(StringComparer.OrdinalIgnoreCase).Where(t => !string.Equals(t, texts[g.Representative], StringComparison.OrdinalIgnoreCase))
                    .Take(10).ToList(),
                byLanguage.Key));
        })
        .OrderByDescending(g => g.Count).ThenBy(g => g.Question, StringComparer.Ordinal)
        .Take(MaxGroups)
        .ToList();

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
}
