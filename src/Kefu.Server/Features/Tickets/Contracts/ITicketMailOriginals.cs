namespace Kefu.Server.Features.Tickets.Contracts;

/// <summary>
/// The received mails behind a ticket's thread lines, for the ticket page's "show original" (implemented by the e-mail
/// channel, which keeps the sanitised HTML). A mail's line is the one with the external id the channel gave it. The
/// caller has checked that the agent sees the tickets it names.
/// </summary>
internal interface ITicketMailOriginals
{
    /// <summary>The external ids of the lines of <paramref name="ticketIds"/> that came from an HTML mail.</summary>
    Task<IReadOnlySet<string>> ExternalIdsWithHtmlAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, CancellationToken ct);

    /// <summary>The sanitised HTML of the mail of one of <paramref name="ticketIds"/> whose line has <paramref name="externalId"/>; null when none.</summary>
    Task<string?> HtmlAsync(Guid tenantId, IReadOnlyCollection<Guid> ticketIds, string externalId, CancellationToken ct);
}

/// <summary>A received mail's HTML body behind a ticket line, after the allowlist sanitiser.</summary>
/// <param name="Html">The sanitised HTML: show it only in a sandboxed frame, with remote images blocked until asked for.</param>
public sealed record TicketMailHtmlDto(string Html);
