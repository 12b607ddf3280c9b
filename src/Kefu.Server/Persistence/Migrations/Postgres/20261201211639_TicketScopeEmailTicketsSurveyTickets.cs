using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TicketScopeEmailTicketsSurveyTickets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "InboxId",
                table: "Tickets",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TicketAtOrBelow",
                table: "SurveyRules",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "TicketId",
                table: "EmailRecords",
                type: "uuid",
                nullable: true);

            // Tickets made from a conversation before tickets had an inbox belong to their conversation's (agents limited to
            // inboxes see them by it). Plain SQL both providers accept.
            migrationBuilder.Sql("""UPDATE "Tickets" SET "InboxId" = (SELECT c."InboxId" FROM "Conversations" c WHERE c."Id" = "Tickets"."ConversationId") WHERE "ConversationId" IS NOT NULL;""");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_TenantId_InboxId",
                table: "Tickets",
                columns: new[] { "TenantId", "InboxId" });

            migrationBuilder.CreateIndex(
                name: "IX_EmailRecords_TicketId_CreatedAt",
                table: "EmailRecords",
                columns: new[] { "TicketId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_TenantId_InboxId",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_EmailRecords_TicketId_CreatedAt",
                table: "EmailRecords");

            migrationBuilder.DropColumn(
                name: "InboxId",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "TicketAtOrBelow",
                table: "SurveyRules");

            migrationBuilder.DropColumn(
                name: "TicketId",
                table: "EmailRecords");
        }
    }
}
