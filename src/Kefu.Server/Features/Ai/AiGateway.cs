using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Kefu.Server.Features.Ai;

/// <summary>What the endpoint said, or why it said nothing usable.</summary>
/// <param name="Text">The model's text; null unless <see cref="Outcome"/> is <see cref="AiOutcomes.Ok"/>.</param>
/// <param name="Outcome">One of <see cref="AiOutcomes"/>.</param>
/// <param name="LatencyMs">Time spent waiting for the endpoint (0 when no call was made).</param>
internal sealed record AiReply(string? Text, string Outcome, int LatencyMs)
{
    public bool Ok => Outcome == AiOutcomes.Ok && !string.IsNullOrWhiteSpace(Text);
}

/// <summary>
/// The one way Kefu talks to a workspace's LLM: reads its settings, refuses a call past the month's token budget,
/// bounds the call by the workspace's timeout and the answer by <see cref="AiRules.MaxResponseBytes"/>, and logs
/// every call's tokens, latency and outcome. It never throws for the endpoint's sake: a hang, an error status, a
/// huge or malformed body all come back as an outcome, so every caller can fall back to the offline engine.
/// </summary>
internal sealed partial class AiGateway(
    IDbContextFactory<KefuDbContext> dbFactory,
    IHttpClientFactory httpFactory,
    IDataProtectionProvider protection,
    TimeProvider time,
    ILogger<AiGateway> logger)
{
    public const string HttpClientName = "kefu-ai";
    private const string KeyPurpose = "Kefu.Ai.ApiKey.v1";

    /// <summary>The key sealed for storage.</summary>
    public string Seal(string apiKey) => protection.CreateProtector(KeyPurpose).Protect(apiKey);

    /// <summary>The workspace's settings when its LLM is on, else null.</summary>
    public async Task<AiSettings?> EnabledAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = await db.AiSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        return settings is { Enabled: true } ? settings : null;
    }

    /// <summary>Asks the workspace's model; <paramref name="messages"/> must already keep visitor text apart from instructions (<see cref="AiPrompts"/>).</summary>
    public async Task<AiReply> CompleteAsync(Guid tenantId, string purpose, IList<ChatMessage> messages, CancellationToken cancellationToken, bool evenWhenOff = false)
    {
        AiSettings? settings;
        long spent;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            settings = await db.AiSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
            if (settings is null || !settings.Enabled && !evenWhenOff)
            {
                return new AiReply(null, AiOutcomes.Disabled, 0);
            }

            var now = time.GetUtcNow().UtcDateTime;
            var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            spent = await db.AiUsage.Where(u => u.TenantId == tenantId && u.CreatedAt >= month)
                .SumAsync(u => (long)u.InputTokens + u.OutputTokens, cancellationToken);
        }

        if (spent >= settings.MonthlyTokenBudget)
        {
            await RecordAsync(tenantId, purpose, AiOutcomes.OverBudget, null, 0, cancellationToken);
            return new AiReply(null, AiOutcomes.OverBudget, 0);
        }

        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        string outcome;
        string? text = null;
        UsageDetails? usage = null;
        try
        {
            using var client = CreateClient(settings);
            var response = await client.GetResponseAsync(messages,
                new ChatOptions { MaxOutputTokens = AiRules.MaxOutputTokens, Temperature = 0.2f }, timeout.Token);
            usage = response.Usage;
            text = response.Text;
            outcome = string.IsNullOrWhiteSpace(text) ? AiOutcomes.Invalid : AiOutcomes.Ok;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = AiOutcomes.Timeout;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // A body past the limit, an error status, a refused connection, JSON that is not a completion: all the
            // endpoint's fault, none worth more than a line in the log (the exception text may quote the endpoint's body).
            outcome = IsTooLarge(ex) ? AiOutcomes.TooLarge : timeout.IsCancellationRequested ? AiOutcomes.Timeout : AiOutcomes.Failed;
            LogFailed(logger, tenantId, purpose, ex.GetType().Name);
        }

        var latency = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await RecordAsync(tenantId, purpose, outcome, usage, latency, CancellationToken.None);
        LogCall(logger, tenantId, purpose, outcome, latency);
        return new AiReply(outcome == AiOutcomes.Ok ? text!.Trim() : null, outcome, latency);
    }

    private IChatClient CreateClient(AiSettings settings)
    {
        var key = settings.ProtectedApiKey is { } sealedKey ? protection.CreateProtector(KeyPurpose).Unprotect(sealedKey) : "none";
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.Endpoint),
            Transport = new HttpClientPipelineTransport(httpFactory.CreateClient(HttpClientName)),
            // One attempt: the timeout is the visitor's wait, and a retry would spend it twice.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        };
        return new OpenAIClient(new ApiKeyCredential(key), options).GetChatClient(settings.Model).AsIChatClient();
    }

    private static bool IsTooLarge(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is AiResponseTooLargeException)
            {
                return true;
            }
        }

        return false;
    }

    private async Task RecordAsync(Guid tenantId, string purpose, string outcome, UsageDetails? usage, int latencyMs, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AiUsage.Add(new AiUsage
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            TenantId = tenantId,
            Purpose = purpose,
            Outcome = outcome,
            InputTokens = Clamp(usage?.InputTokenCount),
            OutputTokens = Clamp(usage?.OutputTokenCount),
            LatencyMs = latencyMs,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    // A garbage usage block (negative, absurd) must not turn the ledger negative or overflow it.
    private static int Clamp(long? tokens) => (int)Math.Clamp(tokens ?? 0, 0, 1_000_000);

    [LoggerMessage(Level = LogLevel.Information, Message = "LLM call for workspace {TenantId} ({Purpose}): {Outcome} in {LatencyMs} ms")]
    private static partial void LogCall(ILogger logger, Guid tenantId, string purpose, string outcome, int latencyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM call for workspace {TenantId} ({Purpose}) failed: {ErrorType}")]
    private static partial void LogFailed(ILogger logger, Guid tenantId, string purpose, string errorType);
}
