using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>Pushed to the visitor (<c>QueueUpdated</c>) whenever their place in line changes.</summary>
/// <param name="ConversationId">The waiting conversation.</param>
/// <param name="State"><c>waiting</c>, <c>left_message</c>, <c>assigned</c> (pushed when a person took it) or <c>none</c> (not in line: <c>GetQueueStatus</c> only).</param>
/// <param name="Position">1 = next; 0 when not waiting.</param>
/// <param name="EstimatedWaitSeconds">From recent handling times and agents online; 0 when not waiting.</param>
public sealed record QueueStatusEvent(Guid ConversationId, string State, int Position, int EstimatedWaitSeconds);

/// <summary>Pushed to one agent (<c>ConversationOffered</c>): accept before <paramref name="ExpiresAt"/> or the next agent is offered.</summary>
/// <param name="Conversation">The conversation offered.</param>
/// <param name="ExpiresAt">When the offer lapses, UTC.</param>
public sealed record OfferEvent(ConversationDto Conversation, DateTime ExpiresAt);

/// <summary>A supervisor's live view of queues and agents.</summary>
/// <param name="Queues">Waiting conversations per team (null team = whole workspace).</param>
/// <param name="Agents">Every agent with state and load.</param>
/// <param name="Waiting">Waiting conversations in serving order.</param>
/// <param name="LeftMessages">Visitors who left a message instead of waiting, oldest first (position 0).</param>
public sealed record RoutingOverview(
    IReadOnlyList<QueueSummary> Queues, IReadOnlyList<AgentStatus> Agents, IReadOnlyList<WaitingItem> Waiting, IReadOnlyList<WaitingItem>? LeftMessages = null);

/// <summary>One queue.</summary>
/// <param name="TeamId">Team, or null for the workspace-wide queue.</param>
/// <param name="TeamName">Team name, or null.</param>
/// <param name="Waiting">Conversations waiting (offered ones included).</param>
/// <param name="LongestWaitSeconds">How long the first in line has waited.</param>
/// <param name="LeftMessages">Visitors who left a message instead of waiting.</param>
public sealed record QueueSummary(Guid? TeamId, string? TeamName, int Waiting, int LongestWaitSeconds, int LeftMessages);

/// <summary>One agent as supervisors see them.</summary>
/// <param name="Id">User id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Presence">State they chose (away after a missed offer; offline once their last connection has been gone for the grace period).</param>
/// <param name="Connected">Has a live connection (or left within the grace period).</param>
/// <param name="Load">Open and pending conversations held.</param>
/// <param name="Capacity">Most conversations at once.</param>
/// <param name="Skills">Skills with levels.</param>
/// <param name="TeamIds">Teams.</param>
/// <param name="OnShift">Inside a shift now (true when they have no shifts set).</param>
/// <param name="NextShiftAt">Start of the next shift when not on shift.</param>
public sealed record AgentStatus(
    Guid Id, string Name, PresenceState Presence, bool Connected, int Load, int Capacity, string Skills, IReadOnlyList<Guid> TeamIds, bool OnShift, DateTimeOffset? NextShiftAt);

/// <summary>A waiting conversation in the supervisor view.</summary>
/// <param name="ConversationId">Conversation.</param>
/// <param name="Position">Place in its inbox's line.</param>
/// <param name="State">Queue state.</param>
/// <param name="WaitingSeconds">Time since it entered the queue.</param>
/// <param name="Rank">Serving rank (VIP + priority).</param>
/// <param name="TeamId">Target team.</param>
/// <param name="OfferedTo">Agent it is offered to, if any.</param>
/// <param name="ContactName">The visitor's display name.</param>
/// <param name="Priority">The conversation's urgency.</param>
/// <param name="Reason">
/// Why it waits: <c>handed_off</c> (the bot passed it on; <paramref name="Intent"/> and <paramref name="HandoffReason"/> say more),
/// <c>transferred</c>, <c>reopened</c>, <c>returning</c> (a visitor with a previous agent), <c>left_message</c> or <c>new</c>.
/// </param>
/// <param name="Intent">The bot's detected intent at the hand-off, if any.</param>
/// <param name="HandoffReason">The bot's reason (<c>requested</c>, <c>angry</c>, <c>not_known</c> …), for <c>handed_off</c>.</param>
public sealed record WaitingItem(
    Guid ConversationId, int Position, QueueState State, int WaitingSeconds, int Rank, Guid? TeamId, Guid? OfferedTo,
    string ContactName = "", ConversationPriority Priority = ConversationPriority.Normal, string Reason = "new", string? Intent = null, string? HandoffReason = null);

/// <summary>Whom a conversation can be handed to.</summary>
/// <param name="Agents">Active agents of the conversation's inbox, except its assignee; those who can take it now first.</param>
/// <param name="Teams">The workspace's teams: the conversation goes back in line for the team.</param>
public sealed record TransferTargets(IReadOnlyList<TransferAgent> Agents, IReadOnlyList<TransferTeam> Teams);

/// <summary>An agent as a transfer target.</summary>
/// <param name="Id">User id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Presence">Online, busy, away, or offline when no connection is live.</param>
/// <param name="Load">Conversations held and offered now.</param>
/// <param name="Capacity">Most conversations at once.</param>
/// <param name="Available">Online with free capacity: a transfer to them succeeds now.</param>
public sealed record TransferAgent(Guid Id, string Name, PresenceState Presence, int Load, int Capacity, bool Available);

/// <summary>A team as a transfer target.</summary>
/// <param name="Id">Team id.</param>
/// <param name="Name">Team name.</param>
public sealed record TransferTeam(Guid Id, string Name);
