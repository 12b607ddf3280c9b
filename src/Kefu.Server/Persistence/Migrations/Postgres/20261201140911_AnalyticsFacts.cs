using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AnalyticsFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConversationFacts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    InboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedBy = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Tags = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    BotInvolved = table.Column<bool>(type: "boolean", nullable: false),
                    HandedOffAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    HandOffReason = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    QueuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    WaitingSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    WaitSeconds = table.Column<double>(type: "double precision", nullable: false),
                    LastQueuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstAssignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastAssignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AgentId = table.Column<Guid>(type: "uuid", nullable: true),
                    HeldSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Agents = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    ResponseClockAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstResponseAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstResponseSeconds = table.Column<double>(type: "double precision", nullable: true),
                    FirstResolvedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolvedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolutionSeconds = table.Column<double>(type: "double precision", nullable: true),
                    Resolved = table.Column<bool>(type: "boolean", nullable: false),
                    Reopens = table.Column<int>(type: "integer", nullable: false),
                    ReopenedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    HandlingSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Transfers = table.Column<int>(type: "integer", nullable: false),
                    TransferredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Abandoned = table.Column<bool>(type: "boolean", nullable: false),
                    AbandonedAfterSeconds = table.Column<double>(type: "double precision", nullable: true),
                    VisitorMessages = table.Column<int>(type: "integer", nullable: false),
                    AgentMessages = table.Column<int>(type: "integer", nullable: false),
                    BotMessages = table.Column<int>(type: "integer", nullable: false),
                    CsatScore = table.Column<int>(type: "integer", nullable: true),
                    NpsScore = table.Column<int>(type: "integer", nullable: true),
                    CesScore = table.Column<int>(type: "integer", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationFacts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReportDirtyHours",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportDirtyHours", x => new { x.TenantId, x.Hour });
                });

            migrationBuilder.CreateTable(
                name: "ReportHistograms",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    InboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    AgentId = table.Column<Guid>(type: "uuid", nullable: true),
                    Metric = table.Column<string>(type: "text", nullable: false),
                    Bucket = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportHistograms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReportRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    InboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    AgentId = table.Column<Guid>(type: "uuid", nullable: true),
                    Conversations = table.Column<int>(type: "integer", nullable: false),
                    BotInvolved = table.Column<int>(type: "integer", nullable: false),
                    BotContained = table.Column<int>(type: "integer", nullable: false),
                    HandedOff = table.Column<int>(type: "integer", nullable: false),
                    Queued = table.Column<int>(type: "integer", nullable: false),
                    Abandoned = table.Column<int>(type: "integer", nullable: false),
                    AbandonedWaitSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Waited = table.Column<int>(type: "integer", nullable: false),
                    WaitSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Responded = table.Column<int>(type: "integer", nullable: false),
                    FirstResponseSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Resolved = table.Column<int>(type: "integer", nullable: false),
                    ResolutionSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Handled = table.Column<int>(type: "integer", nullable: false),
                    HandlingSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Reopened = table.Column<int>(type: "integer", nullable: false),
                    Transfers = table.Column<int>(type: "integer", nullable: false),
                    VisitorMessages = table.Column<int>(type: "integer", nullable: false),
                    AgentMessages = table.Column<int>(type: "integer", nullable: false),
                    CsatAnswers = table.Column<int>(type: "integer", nullable: false),
                    CsatSatisfied = table.Column<int>(type: "integer", nullable: false),
                    CsatScoreSum = table.Column<int>(type: "integer", nullable: false),
                    NpsAnswers = table.Column<int>(type: "integer", nullable: false),
                    NpsPromoters = table.Column<int>(type: "integer", nullable: false),
                    NpsDetractors = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportRollups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConversationFacts_TenantId_CreatedAt_Id",
                table: "ConversationFacts",
                columns: new[] { "TenantId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ConversationFacts_TenantId_Hour",
                table: "ConversationFacts",
                columns: new[] { "TenantId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_ReportHistograms_TenantId_Hour",
                table: "ReportHistograms",
                columns: new[] { "TenantId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_ReportRollups_TenantId_Hour",
                table: "ReportRollups",
                columns: new[] { "TenantId", "Hour" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConversationFacts");

            migrationBuilder.DropTable(
                name: "ReportDirtyHours");

            migrationBuilder.DropTable(
                name: "ReportHistograms");

            migrationBuilder.DropTable(
                name: "ReportRollups");
        }
    }
}
