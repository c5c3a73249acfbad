using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable enable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PermissionPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MatchedRule",
                table: "PermissionRequests",
                type: "TEXT",
                maxLength: 1200,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "TaskId",
                table: "PermissionRequests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UpdatedInputJson",
                table: "PermissionRequests",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PermissionRules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ScopeName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true, collation: "NOCASE"),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    ToolPattern = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ArgumentPattern = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PermissionRules", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PermissionRequests_RequestedAt",
                table: "PermissionRequests",
                column: "RequestedAt");

            migrationBuilder.CreateIndex(
                name: "IX_PermissionRequests_TaskId",
                table: "PermissionRequests",
                column: "TaskId");

            migrationBuilder.CreateIndex(
                name: "IX_PermissionRules_Scope_ScopeName_Position",
                table: "PermissionRules",
                columns: new[] { "Scope", "ScopeName", "Position" });

            migrationBuilder.AddForeignKey(
                name: "FK_PermissionRequests_Tasks_TaskId",
                table: "PermissionRequests",
                column: "TaskId",
                principalTable: "Tasks",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            // The defaults a user would expect (docs/permissions.md): reads and edits inside the task's directory
            // allowed, git's read commands allowed, root denied, recursive deletes and the network asked about.
            // Anything no rule covers (a write outside the directory, an unknown command) is asked about.
            object?[,] defaults =
            {
                { new Guid("019ad4a0-0000-7000-8000-100000000001"), "Server", null, 10, "Bash", "sudo", "Deny", "Workers never run anything as root.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000002"), "Server", null, 20, "Bash", "rm -rf*", "Ask", "Recursive deletes need a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000003"), "Server", null, 21, "Bash", "rm -fr*", "Ask", "Recursive deletes need a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000004"), "Server", null, 22, "Bash", "rm -r*", "Ask", "Recursive deletes need a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000005"), "Server", null, 30, "Bash", "curl", "Ask", "Network access needs a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000006"), "Server", null, 31, "Bash", "wget", "Ask", "Network access needs a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000007"), "Server", null, 32, "Bash", "ssh", "Ask", "Network access needs a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000008"), "Server", null, 33, "Bash", "scp", "Ask", "Network access needs a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000009"), "Server", null, 34, "Bash", "nc", "Ask", "Network access needs a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000010"), "Server", null, 35, "Bash", "rsync", "Ask", "Network access needs a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000011"), "Server", null, 40, "Bash", "git * --output*", "Ask", "git's read commands can write a file with --output.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000012"), "Server", null, 50, "Bash", "git status", "Allow", "Reading the repository is harmless.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000013"), "Server", null, 51, "Bash", "git diff", "Allow", "Reading the repository is harmless.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000014"), "Server", null, 52, "Bash", "git log", "Allow", "Reading the repository is harmless.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000015"), "Server", null, 53, "Bash", "git show", "Allow", "Reading the repository is harmless.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000016"), "Server", null, 54, "Bash", "git ls-files", "Allow", "Reading the repository is harmless.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000017"), "Server", null, 55, "Bash", "git rev-parse", "Allow", "Reading the repository is harmless.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000018"), "Server", null, 56, "Bash", "git blame", "Allow", "Reading the repository is harmless.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000019"), "Server", null, 60, "WebFetch, WebSearch", null, "Ask", "Network access needs a person's yes.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000020"), "Server", null, 70, "Read, Glob, Grep, LS, NotebookRead", "{workdir}/**", "Allow", "Reading inside the task's directory.", "default", 639315936000000000L },
                { new Guid("019ad4a0-0000-7000-8000-100000000021"), "Server", null, 80, "Edit, Write, MultiEdit, NotebookEdit", "{workdir}/**", "Allow", "Editing inside the task's directory.", "default", 639315936000000000L },
            };
            migrationBuilder.InsertData(
                table: "PermissionRules",
                columns: ["Id", "Scope", "ScopeName", "Position", "ToolPattern", "ArgumentPattern", "Action", "Note", "UpdatedBy", "UpdatedAt"],
                values: defaults);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PermissionRequests_Tasks_TaskId",
                table: "PermissionRequests");

            migrationBuilder.DropTable(
                name: "PermissionRules");

            migrationBuilder.DropIndex(
                name: "IX_PermissionRequests_RequestedAt",
                table: "PermissionRequests");

            migrationBuilder.DropIndex(
                name: "IX_PermissionRequests_TaskId",
                table: "PermissionRequests");

            migrationBuilder.DropColumn(
                name: "MatchedRule",
                table: "PermissionRequests");

            migrationBuilder.DropColumn(
                name: "TaskId",
                table: "PermissionRequests");

            migrationBuilder.DropColumn(
                name: "UpdatedInputJson",
                table: "PermissionRequests");
        }
    }
}
