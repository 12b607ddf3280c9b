using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>The workspace's flow settings in clear, for HTTP actions; the secret is protected with Data Protection.</summary>
internal sealed class FlowSecrets(IDataProtectionProvider protection)
{
    public const string Purpose = "Kefu.FlowSecret.v1";
    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>A new secret: <c>flsec_</c> and 32 random bytes, base64url.</summary>
    public static string New() => "flsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task<FlowHttpSettings> LoadAsync(KefuDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var row = await db.FlowSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        var hosts = FlowAddressGuard.ParseHosts(row?.AllowedHosts);
        if (row?.ProtectedSecret is not { } protectedSecret)
        {
            return new FlowHttpSettings(row?.BaseUrl ?? "", null, hosts);
        }

        try
        {
            return new FlowHttpSettings(row.BaseUrl, _protector.Unprotect(protectedSecret), hosts);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Read lazily in effect: a flow without an HTTP step to the merchant still runs; one with it takes its
            // failure branch and says why (FlowHttp), instead of every turn of the workspace failing here.
            return new FlowHttpSettings(row.BaseUrl, null, hosts, SecretUnreadable: true);
        }
    }
}

/// <summary>What a flow reaches outside itself in one workspace: the merchant's API through <see cref="FlowHttp"/>, and the knowledge base.</summary>
internal sealed class FlowEffects(FlowHttp http, FlowHttpSettings settings, KnowledgeSnapshot knowledge, string language, TimeProvider time) : IFlowEffects
{
    /// <summary>Least BM25 score for a knowledge-base answer inside a flow (the bot's own direct-answer bar).</summary>
    public double AnswerScore { get; init; } = 6.5;

    public Task<FlowHttpResult> CallAsync(FlowStep step, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken) =>
        http.SendAsync(step, settings, variables, time.GetUtcNow().ToUnixTimeSeconds(), cancellationToken);

    public Task<string?> AnswerAsync(string question, CancellationToken cancellationToken)
    {
        var hit = knowledge.For(language)?.Index.Search(question, 1).FirstOrDefault();
        return Task.FromResult(hit is not null && hit.Score >= AnswerScore && Guid.TryParse(hit.Id, out var id) &&
                               knowledge.Articles.TryGetValue(id, out var article) ? article.ChatAnswer : null);
    }
}
