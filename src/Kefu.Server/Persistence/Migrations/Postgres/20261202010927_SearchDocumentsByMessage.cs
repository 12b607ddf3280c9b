using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kefu.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchDocumentsByMessage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hand-written: a document whose message is gone would fail the new foreign key (PostgreSQL) or break it
            // silently (SQLite rebuilds the table with foreign keys off).
            migrationBuilder.Sql("""DELETE FROM "SearchDocuments" WHERE NOT EXISTS (SELECT 1 FROM "Messages" WHERE "Messages"."Id" = "SearchDocuments"."SourceId")""");

            migrationBuilder.DropForeignKey(
                name: "FK_SearchDocuments_Conversations_ConversationId",
                table: "SearchDocuments");

            migrationBuilder.DropIndex(
                name: "IX_SearchDocuments_ConversationId",
                table: "SearchDocuments");

            migrationBuilder.AddForeignKey(
                name: "FK_SearchDocuments_Messages_SourceId",
                table: "SearchDocuments",
                column: "SourceId",
                principalTable: "Messages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_SearchDocuments_Messages_SourceId",
                table: "SearchDocuments");

            migrationBuilder.CreateIndex(
                name: "IX_SearchDocuments_ConversationId",
                table: "SearchDocuments",
                column: "ConversationId");

            migrationBuilder.AddForeignKey(
                name: "FK_SearchDocuments_Conversations_ConversationId",
                table: "SearchDocuments",
                column: "ConversationId",
                principalTable: "Conversations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
