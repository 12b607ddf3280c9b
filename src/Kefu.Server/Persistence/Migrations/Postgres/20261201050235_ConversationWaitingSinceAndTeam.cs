using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConversationWaitingSinceAndTeam : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "TeamId",
                table: "Conversations",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "WaitingSince",
                table: "Conversations",
                type: "timestamp with time zone",
                nullable: true);

            // Visitors already in line keep the time they entered it (and their team), instead of showing no wait.
            migrationBuilder.Sql("""
                UPDATE "Conversations"
                SET "WaitingSince" = (SELECT q."EnqueuedAt" FROM "QueueEntries" q WHERE q."ConversationId" = "Conversations"."Id"),
                    "TeamId" = (SELECT q."TeamId" FROM "QueueEntries" q WHERE q."ConversationId" = "Conversations"."Id")
                WHERE "Id" IN (SELECT "ConversationId" FROM "QueueEntries")
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TeamId",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "WaitingSince",
                table: "Conversations");
        }
    }
}
