using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Notifications.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>What a low score set in motion, for the caller to announce after its commit.</summary>
/// <param name="Alerted">The supervisors whose bell got a line.</param>
/// <param name="Reopened">True when the conversation was reopened.</param>
internal sealed record Recovery(IReadOnlyList<Guid> Alerted, bool Reopened);

/// <summary>
/// A low score's follow-up, inside the answer's transaction so the answer and its consequences commit together: a bell
/// line for each supervisor who can see the conversation (of its team when it has one and the team has supervisors),
/// the template's tag on the contact (conversations have no tags of their own yet), and optionally the conversation reopened.
/// </summary>
internal sealed class LowScoreRecovery(IAccessControl access, ILowScoreAlerts alerts, IAuditLog audit)
{
    public async Task<Recovery> ApplyAsync(KefuDbContext db, SurveyResponse response, SurveyTemplate? template, Conversation conversation, DateTime now, CancellationToken cancellationToken)
    {
        var workspace = await access.GetWorkspaceAsync(response.TenantId, null, cancellationToken);
        var supervisors = workspace.Agents.Where(a => a.Has(Permission.Supervise) && a.CanSee(conversation.InboxId, conversation.AssigneeId, workspace)).ToList();
        var leads = conversation.TeamId is { } team && supervisors.Where(a => a.Teams.Contains(team)).ToList() is { Count: > 0 } ofTeam ? ofTeam : supervisors;
        var alerted = leads.Select(a => a.UserId).ToList();
        await alerts.AddAsync(db, response.TenantId, response.ConversationId, alerted, now, cancellationToken);

        if (template?.LowScoreTag is { } tag)
        {
            await TagAsync(db, response, tag, cancellationToken);
        }

        var reopened = template?.ReopenOnLowScore == true && conversation.Status == ConversationStatus.Resolved &&
            await db.Conversations.Where(c => c.Id == conversation.Id && c.Status == ConversationStatus.Resolved)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Open).SetProperty(c => c.ResolvedAt, (DateTime?)null), cancellationToken) > 0;
        if (reopened)
        {
            ConversationJournal.Append(db, new ConversationReopened { TenantId = response.TenantId, ConversationId = conversation.Id, Actor = Actor.System, OccurredAt = now });
        }

        return new Recovery(alerted, reopened);
    }

    private async Task TagAsync(KefuDbContext db, SurveyResponse response, string tag, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == response.ContactId && c.TenantId == response.TenantId, cancellationToken);
        if (contact is null || ContactTags.TryNormalize(ContactTags.Split(contact.Tags).Append(tag), out _) is not { } merged)
        {
            return; // gone, or already at the most tags a contact keeps: the bell line still goes out
        }

        var joined = ContactTags.Join(merged);
        if (joined != contact.Tags)
        {
            contact.Tags = joined;
            audit.Add(db, new AuditRecord(AuditActions.ContactUpdated, "contact", contact.Id.ToString(), "changed=tags source=survey") { TenantId = response.TenantId });
        }
    }
}
