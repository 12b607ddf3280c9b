namespace Kefu.Server.Features.Surveys.Contracts;

/// <summary>The per-inbox score at or below which a survey answer opens a ticket. Implemented by Surveys, read by Tickets.</summary>
public interface ISurveyTicketThresholds
{
    /// <summary>The inbox's threshold (on its survey's scale); null when its answers open no ticket.</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="inboxId">The inbox of the answered conversation.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<int?> AtOrBelowAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken);
}
