using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TicketScopeContactProfileQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "InboxId",
                table: "Tickets",
                type: "uuid",
                nullable: true);

            // Tickets made before inbox scoping take their conversation's inbox (hand-written: EF cannot express it).
            migrationBuilder.Sql("""UPDATE "Tickets" SET "InboxId" = (SELECT c."InboxId" FROM "Conversations" c WHERE c."Id" = "Tickets"."ConversationId") WHERE "ConversationId" IS NOT NULL;""");

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

            migrationBuilder.AddColumn<string>(
                name: "Company",
                table: "Contacts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Language",
                table: "Contacts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Location",
                table: "Contacts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ContactAttributeDefinition",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    LabelEn = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    LabelZh = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Options = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactAttributeDefinition", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ContactNote",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    AuthorId = table.Column<Guid>(type: "uuid", nullable: false),
                    AuthorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactNote", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContactNote_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

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
                name: "ContactAttributeValue",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    DefinitionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactAttributeValue", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContactAttributeValue_ContactAttributeDefinition_Definition~",
                        column: x => x.DefinitionId,
                        principalTable: "ContactAttributeDefinition",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ContactAttributeValue_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "IX_Tickets_TenantId_InboxId",
                table: "Tickets",
                columns: new[] { "TenantId", "InboxId" });

            migrationBuilder.CreateIndex(
                name: "IX_EmailRecords_TicketId_CreatedAt",
                table: "EmailRecords",
                columns: new[] { "TicketId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ContactAttributeDefinition_TenantId_Key",
                table: "ContactAttributeDefinition",
                columns: new[] { "TenantId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactAttributeValue_ContactId_DefinitionId",
                table: "ContactAttributeValue",
                columns: new[] { "ContactId", "DefinitionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactAttributeValue_DefinitionId_Value",
                table: "ContactAttributeValue",
                columns: new[] { "DefinitionId", "Value" });

            migrationBuilder.CreateIndex(
                name: "IX_ContactNote_ContactId",
                table: "ContactNote",
                column: "ContactId");

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
                name: "ContactAttributeValue");

            migrationBuilder.DropTable(
                name: "ContactNote");

            migrationBuilder.DropTable(
                name: "QualityRescoreJobs");

            migrationBuilder.DropTable(
                name: "QualityScores");

            migrationBuilder.DropTable(
                name: "ContactAttributeDefinition");

            migrationBuilder.DropTable(
                name: "QualityScorecardVersions");

            migrationBuilder.DropTable(
                name: "QualityScorecards");

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

            migrationBuilder.DropColumn(
                name: "Company",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "Language",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "Location",
                table: "Contacts");
        }
    }
}
