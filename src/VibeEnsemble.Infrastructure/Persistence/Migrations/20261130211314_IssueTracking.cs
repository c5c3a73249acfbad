using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class IssueTracking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Labels",
                table: "Issues",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<Guid>(
                name: "TaskId",
                table: "Issues",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Author",
                table: "IssueComments",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "IssueComments",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "Comment");

            // Comments from before history entries were kept: written by the agent they came from.
            migrationBuilder.Sql("""
                UPDATE IssueComments SET Author = COALESCE((SELECT Name FROM Agents WHERE Agents.Id = IssueComments.AuthorAgentId), 'unknown')
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Issues_TaskId",
                table: "Issues",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_Issues_UpdatedAt",
                table: "Issues",
                column: "UpdatedAt");

            migrationBuilder.AddForeignKey(
                name: "FK_Issues_Tasks_TaskId",
                table: "Issues",
                column: "TaskId",
                principalTable: "Tasks",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Issues_Tasks_TaskId",
                table: "Issues");

            migrationBuilder.DropIndex(
                name: "IX_Issues_TaskId",
                table: "Issues");

            migrationBuilder.DropIndex(
                name: "IX_Issues_UpdatedAt",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "Labels",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "TaskId",
                table: "Issues");

            migrationBuilder.DropColumn(
                name: "Author",
                table: "IssueComments");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "IssueComments");
        }
    }
}
