using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MessagingThreads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AckRequired",
                table: "Messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Importance",
                table: "Messages",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Normal");

            migrationBuilder.AddColumn<Guid>(
                name: "ReplyToId",
                table: "Messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Sender",
                table: "Messages",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Subject",
                table: "Messages",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "ThreadId",
                table: "Messages",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<long>(
                name: "ReadAt",
                table: "MessageDeliveries",
                type: "INTEGER",
                nullable: true);

            // Messages from before threads: each is its own thread, sent by the agent it came from.
            migrationBuilder.Sql("""
                UPDATE Messages SET ThreadId = Id,
                    Sender = COALESCE((SELECT Name FROM Agents WHERE Agents.Id = Messages.FromAgentId), 'unknown')
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_RecipientKind_CreatedAt",
                table: "Messages",
                columns: new[] { "RecipientKind", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ThreadId",
                table: "Messages",
                column: "ThreadId");

            migrationBuilder.CreateIndex(
                name: "IX_MessageDeliveries_RecipientAgentId_ReadAt",
                table: "MessageDeliveries",
                columns: new[] { "RecipientAgentId", "ReadAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_RecipientKind_CreatedAt",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_ThreadId",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_MessageDeliveries_RecipientAgentId_ReadAt",
                table: "MessageDeliveries");

            migrationBuilder.DropColumn(
                name: "AckRequired",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Importance",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ReplyToId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Sender",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Subject",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ThreadId",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ReadAt",
                table: "MessageDeliveries");
        }
    }
}
