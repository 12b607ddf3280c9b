using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>
/// Routing changes other capabilities may make for a person (automation, macros): the handlers behind
/// <c>PUT /conversations/{id}/priority</c> and <c>POST /conversations/{id}/assign</c>, with their checks.
/// </summary>
internal interface IRoutingCommands
{
    /// <summary>Sets the priority (<c>low</c>, <c>normal</c>, <c>high</c>, <c>urgent</c>) as <paramref name="agent"/>.</summary>
    Task<KefuError?> SetPriorityAsync(AgentIdentity agent, Guid conversationId, string priority, CancellationToken cancellationToken);

    /// <summary>Moves the conversation to an agent or a team's line as <paramref name="supervisor"/> (a reassignment).</summary>
    Task<KefuError?> AssignAsync(AgentIdentity supervisor, Guid conversationId, Guid? agentId, Guid? teamId, CancellationToken cancellationToken);

    /// <summary>True when the inbox is within its business hours at <paramref name="instant"/> (no hours set: always open).</summary>
    Task<bool> IsOpenAsync(Guid tenantId, Guid inboxId, DateTimeOffset instant, CancellationToken cancellationToken);
}
