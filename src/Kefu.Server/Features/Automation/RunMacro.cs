using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>What a macro run did.</summary>
/// <param name="Conversation">The conversation afterwards.</param>
/// <param name="FailedAction">The code of the first action that failed (the others ran), or null.</param>
public sealed record MacroRunResult(ConversationDto? Conversation, string? FailedAction);

/// <summary>
/// <c>POST /api/v1/conversations/{id}/macros/{macroId}/run</c>: an agent runs a macro on a conversation they may act in.
/// Each action goes through its own handler as the agent, so the macro can do nothing the agent could not do by hand.
/// </summary>
internal sealed class RunMacro(IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess access, IConversationReader reader, AutomationRunner runner)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/macros/{macroId:guid}/run", async Task<Results<Ok<MacroRunResult>, ProblemHttpResult>> (
                Guid id, Guid macroId, HttpContext http, RunMacro h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, id, macroId, ct) is var (r, e) && e is null ? TypedResults.Ok(r!) : KefuProblems.Problem(e!))
            // A macro can send a message or a canned reply: a retried click with the same Idempotency-Key runs it once
            // and answers what the first run answered.
            .CreatesResource()
            .WithName("RunMacro").WithTags("Automation");

    public async Task<(MacroRunResult?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, Guid macroId, CancellationToken ct)
    {
        if (await access.CheckAsync(agent, conversationId, ct) is { } denied)
        {
            return (null, denied);
        }

        ConversationOwner owner;
        Macro? macro;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            macro = await ManageMacros.FindAsync(db, agent, macroId, ct);
            var c = await db.Conversations.AsNoTracking().Where(x => x.Id == conversationId && x.TenantId == agent.TenantId)
                .Select(x => new { x.InboxId, x.ContactId }).FirstOrDefaultAsync(ct);
            if (c is null)
            {
                return (null, ConversationErrors.ConversationNotFound);
            }

            owner = new ConversationOwner(conversationId, agent.TenantId, c.InboxId, c.ContactId);
        }

        if (macro is null)
        {
            return (null, AutomationErrors.MacroNotFound);
        }

        var actions = JsonSerializer.Deserialize<List<RuleAction>>(macro.Actions, AutomationValidation.Json) ?? [];
        var failed = await runner.RunAsync(new ActionSource("macro", macro.Id, macro.Name, 0, $"run:{Guid.CreateVersion7():N}"), agent, owner, actions, ct);
        return (new MacroRunResult(await reader.FindAsync(agent.TenantId, conversationId, ct), failed?.Code), null);
    }
}
