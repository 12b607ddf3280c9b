using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Surveys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SurveyTemplates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Style = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Questions = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    AskComment = table.Column<bool>(type: "INTEGER", nullable: false),
                    LowScoreThreshold = table.Column<int>(type: "INTEGER", nullable: true),
                    LowScoreTag = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ReopenOnLowScore = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChangeWindowMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveyTemplates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SurveyResponses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InboxId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TemplateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Style = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Questions = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    AskComment = table.Column<bool>(type: "INTEGER", nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    TriggerKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SentBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Score = table.Column<int>(type: "INTEGER", nullable: true),
                    Scores = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangeableUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AgentIds = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    LowScore = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveyResponses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SurveyResponses_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SurveyResponses_SurveyTemplates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "SurveyTemplates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SurveyRules",
                columns: table => new
                {
                    InboxId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TemplateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    SilenceMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    QuietDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveyRules", x => x.InboxId);
                    table.ForeignKey(
                        name: "FK_SurveyRules_Inboxes_InboxId",
                        column: x => x.InboxId,
                        principalTable: "Inboxes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SurveyRules_SurveyTemplates_TemplateId",
                        column: x => x.TemplateId,
                        principalTable: "SurveyTemplates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_ContactId_SentAt",
                table: "SurveyResponses",
                columns: new[] { "ContactId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_ConversationId_TriggerKey",
                table: "SurveyResponses",
                columns: new[] { "ConversationId", "TriggerKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_TemplateId",
                table: "SurveyResponses",
                column: "TemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_SurveyRules_TemplateId",
                table: "SurveyRules",
                column: "TemplateId");

            migrationBuilder.CreateIndex(
                name: "IX_SurveyRules_TenantId",
                table: "SurveyRules",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_SurveyTemplates_TenantId_Name",
                table: "SurveyTemplates",
                columns: new[] { "TenantId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SurveyResponses");

            migrationBuilder.DropTable(
                name: "SurveyRules");

            migrationBuilder.DropTable(
                name: "SurveyTemplates");
        }
    }
}
