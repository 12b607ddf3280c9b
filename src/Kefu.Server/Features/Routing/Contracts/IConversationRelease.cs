namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>Gives a person's open conversations back to the line, so the router hands them to someone who can answer.</summary>
public interface IConversationRelease
{
    /// <summary>
    /// Unassigns every open conversation <paramref name="agentId"/> holds and queues each again with the team and skills
    /// it waited with before, recording a system <c>conversation.transferred</c> with <paramref name="reason"/> so the
    /// timeline says why. Conversations someone else claimed meanwhile are left alone.
    /// </summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="agentId">Whose conversations go back.</param>
    /// <param name="reason">A fixed word for the timeline, such as <see cref="ReleaseReasons.Deactivated"/>.</param>
    /// <param name="cancellationToken">Cancels before the first conversation moves; once one moved, the rest follow.</param>
    /// <returns>How many conversations went back to the line.</returns>
    Task<int> ReturnToLineAsync(Guid tenantId, Guid agentId, string reason, CancellationToken cancellationToken);
}

/// <summary>Why conversations went back to the line without a person choosing it.</summary>
public static class ReleaseReasons
{
    /// <summary>The agent holding them was deactivated.</summary>
    public const string Deactivated = "deactivated";
}
