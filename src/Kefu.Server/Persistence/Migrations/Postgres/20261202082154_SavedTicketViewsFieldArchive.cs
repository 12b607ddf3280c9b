using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SavedTicketViewsFieldArchive : Migration
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

            migrationBuilder.DropColumn(
                name: "Archived",
                table: "TicketFieldDefinitions");
        }
    }
}
