using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Surveys.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Durable-lane consumer <c>tickets-low-score</c>: a survey answer whose first rating is at or below its inbox's
/// threshold (<see cref="ISurveyTicketThresholds"/>) opens a ticket linked to the conversation, with its transcript.
/// Once per conversation: the ticket's external id is <c>survey-{conversation}</c> (unique per workspace), so a changed
/// answer, a second low survey or the lane's redelivery finds it and does nothing.
/// </summary>
internal sealed class TicketsFromLowScores(IDbContextFactory<KefuDbContext> dbFactory, ISurveyTicketThresholds thresholds, TicketWriter writer) : IOutboxConsumer
{
    public string Name => "tickets-low-score";

    public bool Handles(ConversationEvent e) => e is SurveyAnswered;

    public async Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken)
    {
        var answered = (SurveyAnswered)e;
        var externalId = ExternalId(answered.ConversationId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<Ticket>().AnyAsync(t => t.TenantId == answered.TenantId && t.ExternalId == externalId, cancellationToken))
        {
            return;
        }

        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == answered.ConversationId && c.TenantId == answered.TenantId)
            .Select(c => new { c.InboxId, c.ContactId, c.TeamId }).FirstOrDefaultAsync(cancellationToken);
        if (conversation is null || await thresholds.AtOrBelowAsync(answered.TenantId, conversation.InboxId, cancellationToken) is not { } threshold ||
            answered.Score > threshold)
        {
            return;
        }

        try
        {
            await writer.CreateAsync(new TicketDraft(answered.TenantId, $"Survey score {answered.Score} ({answered.Kind})", TicketSource.LowScore, TicketPriority.High,
                TicketType.Problem, conversation.ContactId, null, conversation.TeamId, "", answered.ConversationId, answered.Actor)
            {
                ExternalId = externalId, InboxId = conversation.InboxId,
            }, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A redelivery racing this one made it first (the unique external id kept one); anything else goes back to the lane.
            if (!await db.Set<Ticket>().AnyAsync(t => t.TenantId == answered.TenantId && t.ExternalId == externalId, cancellationToken))
            {
                throw;
            }
        }
    }

    public static string ExternalId(Guid conversationId) => "survey-" + conversationId.ToString("N");
}
