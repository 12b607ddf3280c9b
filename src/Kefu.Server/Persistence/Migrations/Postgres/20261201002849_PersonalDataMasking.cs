using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PersonalDataMasking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MaskedValues",
                table: "Messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "MaskingSettings",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    IdentityNumbers = table.Column<bool>(type: "boolean", nullable: false),
                    MobileNumbers = table.Column<bool>(type: "boolean", nullable: false),
                    BankCards = table.Column<bool>(type: "boolean", nullable: false),
                    EmailAddresses = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MaskingSettings", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_MaskingSettings_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProtectedMessageValues",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConversationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Start = table.Column<int>(type: "integer", nullable: false),
                    Length = table.Column<int>(type: "integer", nullable: false),
                    Cipher = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProtectedMessageValues", x => new { x.TenantId, x.ConversationId, x.Seq, x.Position });
                    table.ForeignKey(
                        name: "FK_ProtectedMessageValues_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProtectedMessageValues_ConversationId",
                table: "ProtectedMessageValues",
                column: "ConversationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MaskingSettings");

            migrationBuilder.DropTable(
                name: "ProtectedMessageValues");

            migrationBuilder.DropColumn(
                name: "MaskedValues",
                table: "Messages");
        }
    }
}
