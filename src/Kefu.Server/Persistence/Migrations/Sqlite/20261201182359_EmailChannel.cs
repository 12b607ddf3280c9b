using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EmailChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EmailCursors",
                columns: table => new
                {
                    InboxId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UidValidity = table.Column<long>(type: "INTEGER", nullable: false),
                    LastUid = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailCursors", x => x.InboxId);
                });

            migrationBuilder.CreateTable(
                name: "EmailQuarantine",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InboxId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UidValidity = table.Column<long>(type: "INTEGER", nullable: false),
                    Uid = table.Column<long>(type: "INTEGER", nullable: false),
                    Tries = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LastTriedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    QuarantinedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailQuarantine", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EmailRecords",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InboxId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Direction = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    HeaderMessageId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    References = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Html = table.Column<string>(type: "TEXT", nullable: true),
                    Automatic = table.Column<bool>(type: "INTEGER", nullable: false),
                    ThreadVerified = table.Column<bool>(type: "INTEGER", nullable: false),
                    BouncedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    BounceStatus = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Refused = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Pending = table.Column<bool>(type: "INTEGER", nullable: false),
                    Tries = table.Column<int>(type: "INTEGER", nullable: false),
                    NextTryAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailRecords", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EmailQuarantine_InboxId_UidValidity_Uid",
                table: "EmailQuarantine",
                columns: new[] { "InboxId", "UidValidity", "Uid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EmailRecords_ConversationId_CreatedAt",
                table: "EmailRecords",
                columns: new[] { "ConversationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EmailRecords_InboxId_Address_Direction_CreatedAt",
                table: "EmailRecords",
                columns: new[] { "InboxId", "Address", "Direction", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_EmailRecords_InboxId_HeaderMessageId",
                table: "EmailRecords",
                columns: new[] { "InboxId", "HeaderMessageId" });

            migrationBuilder.CreateIndex(
                name: "IX_EmailRecords_MessageId",
                table: "EmailRecords",
                column: "MessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EmailRecords_Pending",
                table: "EmailRecords",
                column: "Pending");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EmailCursors");

            migrationBuilder.DropTable(
                name: "EmailQuarantine");

            migrationBuilder.DropTable(
                name: "EmailRecords");
        }
    }
}
