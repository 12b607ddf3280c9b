using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CannedFilesCallSettingsInvitationsQualityIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AttachmentIds",
                table: "CannedReplies",
                type: "character varying(185)",
                maxLength: 185,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "InboxCallSettings",
                columns: table => new
                {
                    InboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    VisitorVoice = table.Column<bool>(type: "boolean", nullable: false),
                    VisitorVideo = table.Column<bool>(type: "boolean", nullable: false),
                    VisitorScreen = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxCallSettings", x => x.InboxId);
                    table.ForeignKey(
                        name: "FK_InboxCallSettings_Inboxes_InboxId",
                        column: x => x.InboxId,
                        principalTable: "Inboxes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InvitationRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    InboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    UrlPattern = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    MinSecondsOnPage = table.Column<int>(type: "integer", nullable: true),
                    MinPagesVisited = table.Column<int>(type: "integer", nullable: true),
                    Returning = table.Column<bool>(type: "boolean", nullable: true),
                    Tag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    AttributeKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    AttributeValue = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    Language = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    DuringBusinessHours = table.Column<bool>(type: "boolean", nullable: false),
                    TextEn = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    TextZh = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    OpenWidget = table.Column<bool>(type: "boolean", nullable: false),
                    CapMinutes = table.Column<int>(type: "integer", nullable: false),
                    DismissMinutes = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InvitationRules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InvitationRules_Inboxes_InboxId",
                        column: x => x.InboxId,
                        principalTable: "Inboxes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InvitationShows",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    InboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    RuleId = table.Column<Guid>(type: "uuid", nullable: true),
                    AgentId = table.Column<Guid>(type: "uuid", nullable: true),
                    ShownAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AcceptedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DismissedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InvitationShows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InvitationShows_Contacts_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Contacts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_InvitationShows_InvitationRules_RuleId",
                        column: x => x.RuleId,
                        principalTable: "InvitationRules",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_TenantId_Status_ResolvedAt",
                table: "Conversations",
                columns: new[] { "TenantId", "Status", "ResolvedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxCallSettings_TenantId",
                table: "InboxCallSettings",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_InvitationRules_InboxId_Position",
                table: "InvitationRules",
                columns: new[] { "InboxId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_InvitationShows_ContactId_ShownAt",
                table: "InvitationShows",
                columns: new[] { "ContactId", "ShownAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InvitationShows_RuleId",
                table: "InvitationShows",
                column: "RuleId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InboxCallSettings");

            migrationBuilder.DropTable(
                name: "InvitationShows");

            migrationBuilder.DropTable(
                name: "InvitationRules");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_TenantId_Status_ResolvedAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "AttachmentIds",
                table: "CannedReplies");
        }
    }
}
