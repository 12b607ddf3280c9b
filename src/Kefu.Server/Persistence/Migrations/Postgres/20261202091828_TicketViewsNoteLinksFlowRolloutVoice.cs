using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TicketViewsNoteLinksFlowRolloutVoice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Archived",
                table: "TicketFieldDefinitions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "NoteId",
                table: "Notifications",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RolloutPercent",
                table: "BotFlows",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RolloutVersion",
                table: "BotFlows",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DurationMs",
                table: "Attachments",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Transcript",
                table: "Attachments",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TranscriptState",
                table: "Attachments",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TicketSavedViews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Priority = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Assignee = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    TeamId = table.Column<Guid>(type: "uuid", nullable: true),
                    Tag = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    BreachingSoon = table.Column<bool>(type: "boolean", nullable: false),
                    FieldId = table.Column<Guid>(type: "uuid", nullable: true),
                    FieldValue = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Sort = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketSavedViews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TicketSavedViews_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TicketSavedViews_TicketFieldDefinitions_FieldId",
                        column: x => x.FieldId,
                        principalTable: "TicketFieldDefinitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VoiceSettings",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Endpoint = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProtectedApiKey = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    TimeoutSeconds = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VoiceSettings", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_VoiceSettings_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Attachments_TranscriptState",
                table: "Attachments",
                column: "TranscriptState",
                filter: "\"TranscriptState\" = 'pending'");

            migrationBuilder.CreateIndex(
                name: "IX_TicketSavedViews_FieldId",
                table: "TicketSavedViews",
                column: "FieldId");

            migrationBuilder.CreateIndex(
                name: "IX_TicketSavedViews_TenantId_OwnerId",
                table: "TicketSavedViews",
                columns: new[] { "TenantId", "OwnerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TicketSavedViews");

            migrationBuilder.DropTable(
                name: "VoiceSettings");

            migrationBuilder.DropIndex(
                name: "IX_Attachments_TranscriptState",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "Archived",
                table: "TicketFieldDefinitions");

            migrationBuilder.DropColumn(
                name: "NoteId",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "RolloutPercent",
                table: "BotFlows");

            migrationBuilder.DropColumn(
                name: "RolloutVersion",
                table: "BotFlows");

            migrationBuilder.DropColumn(
                name: "DurationMs",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "Transcript",
                table: "Attachments");

            migrationBuilder.DropColumn(
                name: "TranscriptState",
                table: "Attachments");
        }
    }
}
