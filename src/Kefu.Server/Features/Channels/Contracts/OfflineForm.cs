namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>
/// The inbox's offline form (<c>PUT /api/v1/inboxes/{id}/offline</c>; every field replaces the current one): what the
/// widget shows instead of a chat when nobody can answer, so the visitor leaves a way to be answered.
/// </summary>
/// <param name="Enabled">True: the widget offers the form when one of the conditions below holds, and to a visitor who stops waiting.</param>
/// <param name="Intro">Shown above the form, as text (at most <see cref="OfflineRules.MaxIntro"/> characters); null: the built-in text of the visitor's language.</param>
/// <param name="OutsideHours">Show it while the inbox is outside its business hours (routing's hours and holidays).</param>
/// <param name="NoAgents">
/// Show it while no agent could take a conversation of the inbox (none online, or none connected). Off by default: without
/// it a visitor still writes, waits in line and may leave a message from there, and a bot can still answer.
/// </param>
public sealed record OfflineForm(bool Enabled = true, string? Intro = null, bool OutsideHours = true, bool NoAgents = false)
{
    /// <summary>The form of an inbox that never set one: on, with the built-in text, outside opening hours.</summary>
    public static readonly OfflineForm Default = new();
}

/// <summary>What a visitor leaves in the offline form (<c>POST /api/v1/widget/offline</c>).</summary>
/// <param name="ClientMessageId">Chosen by the widget once per submission: sending it again stores nothing twice.</param>
/// <param name="Name">Their name; optional, at most 100 characters.</param>
/// <param name="Email">Where to answer them; required, one address.</param>
/// <param name="Message">Their message; required, at most 4,000 characters.</param>
public sealed record OfflineSubmission(string? ClientMessageId, string? Name, string? Email, string? Message);

/// <summary>The offline form as the widget's session carries it.</summary>
/// <param name="Intro">The inbox's intro text, or null for the widget's built-in one.</param>
/// <param name="Offline">True when the widget should show the form now rather than the chat.</param>
/// <param name="Reason"><c>closed</c> (outside business hours), <c>no_agents</c>, or null when not offline.</param>
public sealed record WidgetOfflineForm(string? Intro, bool Offline, string? Reason);
