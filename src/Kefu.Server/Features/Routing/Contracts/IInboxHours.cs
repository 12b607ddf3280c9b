namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>The inboxes' own calendars (opening hours, time zone, holidays), for capabilities that count business time (ticket SLAs).</summary>
internal interface IInboxHours
{
    /// <summary>The calendar of each inbox of the workspace that has opening hours; inboxes without hours are absent (always open).</summary>
    Task<IReadOnlyDictionary<Guid, WeeklyHours>> ForWorkspaceAsync(Guid tenantId, CancellationToken cancellationToken);
}
