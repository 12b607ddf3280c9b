using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>
/// Sends surveys of inboxes whose rule says <c>silence</c>: every minute, on one node (lease <c>survey-silence</c>), each
/// open conversation whose last message is an agent's and older than the rule's minutes gets the survey once for that
/// quiet spell (the key is the last message's time; the survey's own message then ends the spell).
/// </summary>
internal sealed partial class SilenceSweep(
    IDbContextFactory<KefuDbContext> dbFactory, SurveySender sender, LeaseStore leases, TimeProvider time, ILogger<SilenceSweep> logger) : BackgroundService
{
    public const string LeaseName = "survey-silence";
    public const int BatchSize = 200;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, time, stoppingToken);
                try
                {
                    if (await leases.HoldAsync(LeaseName, Interval * 3, stoppingToken))
                    {
                        await SweepAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    /// <summary>One pass over every silence rule; returns how many surveys it asked for.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var occasions = new List<SurveyOccasion>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var rules = await db.SurveyRules.AsNoTracking().Where(r => r.Enabled && r.Trigger == SurveyTriggers.Silence)
                .Select(r => new { r.InboxId, r.SilenceMinutes }).ToListAsync(cancellationToken);
            foreach (var rule in rules)
            {
                var before = now.AddMinutes(-rule.SilenceMinutes);
                var quiet = await db.Conversations.AsNoTracking()
                    .Where(c => c.InboxId == rule.InboxId && c.Status == ConversationStatus.Open && c.LastMessageAt <= before)
                    .Where(c => db.Messages.Any(m => m.ConversationId == c.Id && m.Seq == c.LastSeq && m.SenderType == SenderType.Agent))
                    .Where(c => !db.SurveyResponses.Any(r => r.ConversationId == c.Id && r.SentAt >= c.LastMessageAt))
                    .OrderBy(c => c.LastMessageAt).Take(BatchSize).Select(c => new { c.Id, c.LastMessageAt }).ToListAsync(cancellationToken);
                occasions.AddRange(quiet.Select(c => new SurveyOccasion(c.Id, SurveyTriggers.Silence, $"silence:{c.LastMessageAt.Ticks}")));
            }
        }

        if (occasions.Count > 0)
        {
            await sender.SendAsync(null, occasions, cancellationToken);
        }

        return occasions.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Survey silence pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
