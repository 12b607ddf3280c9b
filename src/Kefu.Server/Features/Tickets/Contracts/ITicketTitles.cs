namespace Kefu.Server.Features.Tickets.Contracts;

/// <summary>A ticket's number and subject, for a line that names it (the bell).</summary>
/// <param name="Number">Its number.</param>
/// <param name="Subject">Its subject.</param>
public sealed record TicketTitle(long Number, string Subject);

/// <summary>Ticket titles for other capabilities (the bell names the tickets of its ticket lines).</summary>
internal interface ITicketTitles
{
    /// <summary>The titles of those of <paramref name="ticketIds"/> that are tickets of the workspace.</summary>
    Task<IReadOnlyDictionary<Guid, TicketTitle>> TitlesAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, CancellationToken cancellationToken);
}
