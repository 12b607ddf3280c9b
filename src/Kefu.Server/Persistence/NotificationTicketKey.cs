using Kefu.Server.Features.Notifications;
using Kefu.Server.Features.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Persistence;

/// <summary>
/// The bell's ticket lines point at their ticket, and go with it. Declared here because neither capability may name
/// the other's internal types (ADR 0005): Notifications owns the line, Tickets the ticket, the database both.
/// </summary>
internal sealed class NotificationTicketKey : IEntityTypeConfiguration<AgentNotification>
{
    public void Configure(EntityTypeBuilder<AgentNotification> builder) =>
        builder.HasOne<Ticket>().WithMany().HasForeignKey(n => n.TicketId).OnDelete(DeleteBehavior.Cascade);
}
