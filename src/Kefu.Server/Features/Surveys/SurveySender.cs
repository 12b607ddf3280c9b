using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>A reason to send a conversation its inbox's survey.</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Trigger"><see cref="SurveyTriggers"/>: the inbox's rule must name it, except for <see cref="SurveyTriggers.Manual"/>.</param>
/// <param name="TriggerKey">Unique per conversation for one occasion (a resolve's time): a replay finds the survey already sent.</param>
/// <param name="SentBy">The agent sending it by hand.</param>
internal sealed record SurveyOccasion(Guid ConversationId, string Trigger, string TriggerKey, Guid? SentBy = null);

/// <summary>
/// Sends surveys: records a <see cref="SurveyResponse"/> per occasion its inbox's rule allows, then posts it in the
/// conversation as a system message carrying a <see cref="MessageAction.Survey"/> action, so it travels (and resyncs) like
/// every message and the widget draws it in place. A set of occasions costs one read of conversations with their rules,
/// one read of the contacts' recent surveys and one insert, whatever its size; then one message write per survey sent.
/// </summary>
internal sealed class SurveySender(IDbContextFactory<KefuDbContext> dbFactory, IMessageWriter writer, TimeProvider time)
{
    /// <summary>Client message id prefix of survey messages: the writer's unique client id makes a replay return the first message.</summary>
    public const string ClientIdPrefix = "survey:";

    /// <summary>Sends what the rules allow; per occasion the survey sent (or found sent before) or why not.</summary>
    public async Task<IReadOnlyList<(SurveyResponse? Sent, KefuError? Error)>> SendAsync(Guid? tenantId, IReadOnlyList<SurveyOccasion> occasions, CancellationToken cancellationToken)
    {
        var results = new (SurveyResponse?, KefuError?)[occasions.Count];
        var ids = occasions.Select(o => o.ConversationId).Distinct().ToList();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var targets = await (
                from c in db.Conversations.AsNoTracking()
                join r in db.Set<SurveyRule>() on c.InboxId equals r.InboxId
                join t in db.Set<SurveyTemplate>() on r.TemplateId equals t.Id
                where EF.Parameter(ids).Contains(c.Id) && r.Enabled
                select new { c.Id, c.TenantId, c.InboxId, c.ContactId, Rule = r, Template = t })
            .ToDictionaryAsync(x => x.Id, cancellationToken);
        Array.Fill(results, (null, SurveyErrors.NotConfigured));
        if (targets.Count == 0)
        {
            return results;
        }

        var contacts = targets.Values.Select(t => t.ContactId).Distinct().ToList();
        var keys = occasions.Select(o => o.TriggerKey).Distinct().ToList();
        var since = now.AddDays(-targets.Values.Max(t => t.Rule.QuietDays));
        var recent = await db.Set<SurveyResponse>()
            .Where(r => EF.Parameter(contacts).Contains(r.ContactId) && (r.SentAt > since || EF.Parameter(keys).Contains(r.TriggerKey)))
            .ToListAsync(cancellationToken);
        var added = new List<SurveyResponse>();
        for (var i = 0; i < occasions.Count; i++)
        {
            var o = occasions[i];
            if (!targets.TryGetValue(o.ConversationId, out var target) || (tenantId is { } tenant && target.TenantId != tenant))
            {
                results[i] = (null, tenantId is null ? SurveyErrors.NotConfigured : SurveyErrors.SurveyNotFound);
                continue;
            }

            if (recent.FirstOrDefault(r => r.ConversationId == o.ConversationId && r.TriggerKey == o.TriggerKey) is { } replay)
            {
                results[i] = (replay, null); // sent before this replay: its message is written again below, which the writer dedupes
                continue;
            }

            if (o.Trigger != SurveyTriggers.Manual && target.Rule.Trigger != o.Trigger)
            {
                continue;
            }

            var quietSince = now.AddDays(-target.Rule.QuietDays);
            if (target.Rule.QuietDays > 0 && recent.Any(r => r.ContactId == target.ContactId && r.SentAt > quietSince))
            {
                results[i] = (null, SurveyErrors.RecentlySurveyed);
                continue;
            }

            var response = new SurveyResponse
            {
                Id = Guid.CreateVersion7(now), TenantId = target.TenantId, ConversationId = target.Id, InboxId = target.InboxId, ContactId = target.ContactId,
                TemplateId = target.Template.Id, Kind = target.Template.Kind, Style = target.Template.Style, Questions = target.Template.Questions,
                AskComment = target.Template.AskComment, Trigger = o.Trigger, TriggerKey = o.TriggerKey, SentBy = o.SentBy, SentAt = now,
            };
            db.Add(response);
            recent.Add(response); // a second occasion for the same contact in this set is quiet too
            added.Add(response);
            results[i] = (response, null);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var response in results.Select(r => r.Item1).OfType<SurveyResponse>().Distinct())
        {
            if (await PostAsync(response, cancellationToken) is { } error)
            {
                return [.. results.Select(r => r.Item1 == response ? (null, error) : r)];
            }
        }

        return results;
    }

    /// <summary>The survey's system message. Its text is the first question as worded for the console and other readers; the widget draws the survey itself in the visitor's language.</summary>
    private async Task<KefuError?> PostAsync(SurveyResponse response, CancellationToken cancellationToken)
    {
        var first = SurveyTemplate.Read(response.Questions).FirstOrDefault();
        var text = first?.En ?? first?.Zh ?? response.Kind;
        var write = new MessageWrite(response.TenantId, response.InboxId, response.ContactId, response.ConversationId, ClientIdPrefix + response.Id.ToString("N"),
            SenderType.System, null, null, text, null, [new MessageAction(MessageAction.Survey, response.Id.ToString(), response.Kind)]);
        return (await writer.WriteAsync(write, cancellationToken)).Error;
    }
}
