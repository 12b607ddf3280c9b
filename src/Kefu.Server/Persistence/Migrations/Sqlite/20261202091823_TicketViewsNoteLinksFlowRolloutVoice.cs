using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "NoteId",
                table: "Notifications",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RolloutPercent",
                table: "BotFlows",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "RolloutVersion",
                table: "BotFlows",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "DurationMs",
                table: "Attachments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Transcript",
                table: "Attachments",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TranscriptState",
                table: "Attachments",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TicketSavedViews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Priority = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Assignee = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Tag = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    BreachingSoon = table.Column<bool>(type: "INTEGER", nullable: false),
                    FieldId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FieldValue = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Sort = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProtectedApiKey = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    TimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
