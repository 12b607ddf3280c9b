using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Quality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QualityRescoreJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScorecardId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScorecardVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Cursor = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Scored = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityRescoreJobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QualityScorecards",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    InboxId = table.Column<Guid>(type: "uuid", nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    VersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityScorecards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QualityScorecardVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ScorecardId = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Items = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityScorecardVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualityScorecardVersions_QualityScorecards_ScorecardId",
                        column: x => x.ScorecardId,
                        principalTable: "QualityScorecards",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QualityScores",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConversationId = table.Column<Guid>(type: "uuid", nullable: false),
                    InboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScorecardId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScorecardVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    AgentId = table.Column<Guid>(type: "uuid", nullable: true),
                    Score = table.Column<double>(type: "double precision", nullable: true),
                    AutoScore = table.Column<double>(type: "double precision", nullable: true),
                    Items = table.Column<string>(type: "text", nullable: false),
                    ResolvedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ScoredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SampleKey = table.Column<int>(type: "integer", nullable: false),
                    CoachingNote = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CoachedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CoachedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityScores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QualityScores_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_QualityScores_QualityScorecardVersions_ScorecardVersionId",
                        column: x => x.ScorecardVersionId,
                        principalTable: "QualityScorecardVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QualityRescoreJobs_ScorecardId",
                table: "QualityRescoreJobs",
                column: "ScorecardId");

            migrationBuilder.CreateIndex(
                name: "IX_QualityRescoreJobs_Status",
                table: "QualityRescoreJobs",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_QualityScorecards_TenantId",
                table: "QualityScorecards",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_QualityScorecardVersions_ScorecardId_Version",
                table: "QualityScorecardVersions",
                columns: new[] { "ScorecardId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QualityScores_AgentId_ScoredAt",
                table: "QualityScores",
                columns: new[] { "AgentId", "ScoredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_QualityScores_ConversationId",
                table: "QualityScores",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_QualityScores_ScorecardVersionId_ConversationId",
                table: "QualityScores",
                columns: new[] { "ScorecardVersionId", "ConversationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_QualityScores_TenantId_SampleKey",
                table: "QualityScores",
                columns: new[] { "TenantId", "SampleKey" });

            migrationBuilder.CreateIndex(
                name: "IX_QualityScores_TenantId_Score",
                table: "QualityScores",
                columns: new[] { "TenantId", "Score" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QualityRescoreJobs");

            migrationBuilder.DropTable(
                name: "QualityScores");

            migrationBuilder.DropTable(
                name: "QualityScorecardVersions");

            migrationBuilder.DropTable(
                name: "QualityScorecards");
        }
    }
}
