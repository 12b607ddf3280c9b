using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContactIdentityVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "Contacts",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnverifiedExternalId",
                table: "Contacts",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "InboxIdentityKey",
                columns: table => new
                {
                    InboxId = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    SecretCipher = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Enforce = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxIdentityKey", x => x.InboxId);
                    table.ForeignKey(
                        name: "FK_InboxIdentityKey_Inboxes_InboxId",
                        column: x => x.InboxId,
                        principalTable: "Inboxes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_InboxIdentityKey_TenantId",
                table: "InboxIdentityKey",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InboxIdentityKey");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "UnverifiedExternalId",
                table: "Contacts");
        }
    }
}
