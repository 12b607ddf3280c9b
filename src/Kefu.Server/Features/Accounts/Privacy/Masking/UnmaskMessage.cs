using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>One revealed value.</summary>
/// <param name="Position">Order of the value in the message.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Masked">The form the stored text holds.</param>
/// <param name="Original">The value as it was written.</param>
public sealed record UnmaskedValueDto(int Position, PersonalDataKind Kind, string Masked, string Original);

/// <summary>A message with its masked values put back.</summary>
/// <param name="Text">The text as it was written.</param>
/// <param name="Values">Each value revealed, in text order.</param>
public sealed record UnmaskedMessageDto(Guid ConversationId, long Seq, string Text, IReadOnlyList<UnmaskedValueDto> Values);

/// <summary>
/// <c>POST /api/v1/conversations/{id}/messages/{seq}/unmask</c>: the originals of a message's masked
/// values, for users whose role may unmask personal data (others 403; another workspace's conversation,
/// or one outside the user's scope or inboxes, 404). The audit entry is written before anything is returned: a reveal that cannot be audited does
/// not happen. A POST, and <c>no-store</c>, so no cache or prefetch keeps the values.
/// </summary>
internal sealed partial class UnmaskMessage(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess conversations, PersonalDataProtector protector, IAuditLog audit, ILogger<UnmaskMessage> logger)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/messages/{seq:long}/unmask", async Task<Results<Ok<UnmaskedMessageDto>, ProblemHttpResult>> (
                Guid id, long seq, HttpContext http, UnmaskMessage handler, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                var (message, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, seq, ct);
                return error is null ? TypedResults.Ok(message) : KefuProblems.Problem(error);
            })
            .WithName("UnmaskMessage")
            .WithTags("Privacy")
            .RequireAuthorization(AccessPolicies.For(Permission.UnmaskPersonalData));

    /// <summary>Callers check the permission first (the endpoint's policy, or the console's <c>IAccessControl</c>).</summary>
    public async Task<(UnmaskedMessageDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, long seq, CancellationToken cancellationToken)
    {
        // Another workspace's conversation, or one outside the agent's scope or inboxes, is not found. The scope check
        // answers "may see" for users who see everything without looking at the workspace: that is checked here first.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Conversations.AnyAsync(c => c.Id == conversationId && c.TenantId == agent.TenantId, cancellationToken) ||
            await conversations.CheckReadAsync(agent, conversationId, cancellationToken) is not null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        var text = await db.Messages.Where(m => m.ConversationId == conversationId && m.Seq == seq).Select(m => m.Text).FirstOrDefaultAsync(cancellationToken);
        if (text is null)
        {
            return (null, MaskingErrors.MessageNotFound);
        }

        var rows = await db.ProtectedMessageValues.AsNoTracking()
            .Where(v => v.TenantId == agent.TenantId && v.ConversationId == conversationId && v.Seq == seq)
            .OrderBy(v => v.Position)
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return (new UnmaskedMessageDto(conversationId, seq, text, []), null);
        }

        var values = new List<UnmaskedValueDto>(rows.Count);
        foreach (var row in rows)
        {
            var original = protector.Unprotect(agent.TenantId, row.Cipher);
            if (original is null || row.Start + row.Length > text.Length)
            {
                // A lost key ring or a tampered row: say so in the log (ids only) and show the value as stored.
                LogUnreadable(logger, conversationId, seq, row.Position);
                continue;
            }

            values.Add(new UnmaskedValueDto(row.Position, row.Kind, text.Substring(row.Start, row.Length), original));
        }

        await audit.WriteAsync(new AuditRecord(AuditActions.PersonalDataUnmasked, "message", $"{conversationId}:{seq}",
            "kinds=" + string.Join(',', values.Select(v => v.Kind).Distinct()))
        {
            // Explicit, not from the request: the console reveals over its circuit, where there is none.
            TenantId = agent.TenantId, ActorId = agent.UserId, ActorName = agent.DisplayName,
        }, cancellationToken);
        return (new UnmaskedMessageDto(conversationId, seq, Restore(text, rows, values), values), null);
    }

    private static string Restore(string text, List<ProtectedMessageValue> rows, List<UnmaskedValueDto> values)
    {
        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var value in values)
        {
            var row = rows.First(r => r.Position == value.Position);
            builder.Append(text, at, row.Start - at).Append(value.Original);
            at = row.Start + row.Length;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A masked value of conversation {ConversationId} message {Seq} position {Position} could not be decrypted.")]
    private static partial void LogUnreadable(ILogger logger, Guid conversationId, long seq, int position);
}
