using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RoutingClosedHoursAndContactFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ClosedLeaveMessage",
                table: "InboxRoutings",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "ClosedMessageEn",
                table: "InboxRoutings",
                type: "TEXT",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ClosedMessageZh",
                table: "InboxRoutings",
                type: "TEXT",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "EmailOriginal",
                table: "Contacts",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneOriginal",
                table: "Contacts",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClosedLeaveMessage",
                table: "InboxRoutings");

            migrationBuilder.DropColumn(
                name: "ClosedMessageEn",
                table: "InboxRoutings");

            migrationBuilder.DropColumn(
                name: "ClosedMessageZh",
                table: "InboxRoutings");

            migrationBuilder.DropColumn(
                name: "EmailOriginal",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "PhoneOriginal",
                table: "Contacts");
        }
    }
}
