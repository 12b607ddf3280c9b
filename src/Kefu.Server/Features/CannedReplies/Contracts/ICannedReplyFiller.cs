using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.CannedReplies.Contracts;

/// <summary>
/// A canned reply filled in for a conversation exactly as the console's composer gets it (same variables, same language
/// choice, one more use counted), for automation rules that send one. Nothing is sent here.
/// </summary>
internal interface ICannedReplyFiller
{
    /// <summary>The reply filled for <paramref name="conversationId"/> as <paramref name="caller"/> sees it; the error when the caller may not see the reply or the conversation.</summary>
    Task<(FilledCannedReply? Reply, KefuError? Error)> FillAsync(AgentIdentity caller, Guid replyId, Guid conversationId, CancellationToken cancellationToken);

    /// <summary>
    /// True when the workspace has this reply as a team or shared one. A personal reply is only its writer's: a rule
    /// naming it would fail on every run (the rule runs as no one in particular).
    /// </summary>
    Task<bool> ExistsAsync(Guid tenantId, Guid replyId, CancellationToken cancellationToken);
}
