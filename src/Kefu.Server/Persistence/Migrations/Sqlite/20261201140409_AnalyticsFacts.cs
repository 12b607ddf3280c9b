using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InboxId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    BotInvolved = table.Column<bool>(type: "INTEGER", nullable: false),
                    HandedOffAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    HandOffReason = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    QueuedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    WaitingSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    WaitSeconds = table.Column<double>(type: "REAL", nullable: false),
                    LastQueuedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FirstAssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastAssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    HeldSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Agents = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ResponseClockAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FirstResponseAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FirstResponseSeconds = table.Column<double>(type: "REAL", nullable: true),
                    FirstResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolutionSeconds = table.Column<double>(type: "REAL", nullable: true),
                    Resolved = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reopens = table.Column<int>(type: "INTEGER", nullable: false),
                    ReopenedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    HandlingSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Transfers = table.Column<int>(type: "INTEGER", nullable: false),
                    TransferredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Abandoned = table.Column<bool>(type: "INTEGER", nullable: false),
                    AbandonedAfterSeconds = table.Column<double>(type: "REAL", nullable: true),
                    VisitorMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    AgentMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    BotMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    CsatScore = table.Column<int>(type: "INTEGER", nullable: true),
                    NpsScore = table.Column<int>(type: "INTEGER", nullable: true),
                    CesScore = table.Column<int>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationFacts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReportDirtyHours",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportDirtyHours", x => new { x.TenantId, x.Hour });
                });

            migrationBuilder.CreateTable(
                name: "ReportHistograms",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    InboxId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Metric = table.Column<string>(type: "TEXT", nullable: false),
                    Bucket = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportHistograms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReportRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    InboxId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Conversations = table.Column<int>(type: "INTEGER", nullable: false),
                    BotInvolved = table.Column<int>(type: "INTEGER", nullable: false),
                    BotContained = table.Column<int>(type: "INTEGER", nullable: false),
                    HandedOff = table.Column<int>(type: "INTEGER", nullable: false),
                    Queued = table.Column<int>(type: "INTEGER", nullable: false),
                    Abandoned = table.Column<int>(type: "INTEGER", nullable: false),
                    AbandonedWaitSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Waited = table.Column<int>(type: "INTEGER", nullable: false),
                    WaitSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Responded = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstResponseSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Resolved = table.Column<int>(type: "INTEGER", nullable: false),
                    ResolutionSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Handled = table.Column<int>(type: "INTEGER", nullable: false),
                    HandlingSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Reopened = table.Column<int>(type: "INTEGER", nullable: false),
                    Transfers = table.Column<int>(type: "INTEGER", nullable: false),
                    VisitorMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    AgentMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    CsatAnswers = table.Column<int>(type: "INTEGER", nullable: false),
                    CsatSatisfied = table.Column<int>(type: "INTEGER", nullable: false),
                    CsatScoreSum = table.Column<int>(type: "INTEGER", nullable: false),
                    NpsAnswers = table.Column<int>(type: "INTEGER", nullable: false),
                    NpsPromoters = table.Column<int>(type: "INTEGER", nullable: false),
                    NpsDetractors = table.Column<int>(type: "INTEGER", nullable: false)
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
