using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InboxSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ArchivedAt",
                table: "Inboxes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BotGreeting",
                table: "Inboxes",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BotName",
                table: "Inboxes",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LauncherText",
                table: "Inboxes",
                type: "character varying(24)",
                maxLength: 24,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WidgetColor",
                table: "Inboxes",
                type: "character varying(7)",
                maxLength: 7,
                nullable: false,
                defaultValue: "#d9480f");

            migrationBuilder.AddColumn<string>(
                name: "WidgetPosition",
                table: "Inboxes",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "Right");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "BotGreeting",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "BotName",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "LauncherText",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "WidgetColor",
                table: "Inboxes");

            migrationBuilder.DropColumn(
                name: "WidgetPosition",
                table: "Inboxes");
        }
    }
}
