using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProjectsProfilesWorkers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AttemptId",
                table: "Workers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "CostUsd",
                table: "Workers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ProcessStartedAt",
                table: "Workers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProfileName",
                table: "Workers",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Summary",
                table: "Workers",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Turns",
                table: "Workers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ProjectId",
                table: "Tasks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<TimeSpan>(
                name: "Timeout",
                table: "Tasks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Projects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false, collation: "NOCASE"),
                    WorkingDirectory = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    Rules = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    MaxConcurrentWorkers = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Projects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WorkerProfiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false, collation: "NOCASE"),
                    Capabilities = table.Column<string>(type: "TEXT", nullable: false),
                    SystemPrompt = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    Model = table.Column<string>(type: "TEXT", nullable: true),
                    PermissionMode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AllowedTools = table.Column<string>(type: "TEXT", nullable: false),
                    DisallowedTools = table.Column<string>(type: "TEXT", nullable: false),
                    MaxConcurrentWorkers = table.Column<int>(type: "INTEGER", nullable: false),
                    Timeout = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    MaxBudgetUsd = table.Column<decimal>(type: "TEXT", nullable: true),
                    MaxAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RetryBaseDelay = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    RetryMaxDelay = table.Column<TimeSpan>(type: "TEXT", nullable: false),
                    ParkedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    ParkedReason = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkerProfiles", x => x.Id);
                });

            // The shipped profile, added once: a person who changes or deletes it keeps their choice. Written as data
            // (not from WorkerProfile.CreateDefault) so that later code changes never rewrite history.
            migrationBuilder.InsertData(
                table: "WorkerProfiles",
                columns: ["Id", "Name", "Capabilities", "SystemPrompt", "Model", "PermissionMode", "AllowedTools", "DisallowedTools",
                    "MaxConcurrentWorkers", "Timeout", "MaxBudgetUsd", "MaxAttempts", "RetryBaseDelay", "RetryMaxDelay",
                    "ParkedUntil", "ParkedReason", "CreatedAt", "UpdatedAt"],
                values: [new Guid("019ad4a0-0000-7000-8000-000000000001"), "default", "[\"*\"]",
                    "You are a worker in a Vibe Ensemble. Do the one task you were given, in the working directory, then report it "
                        + "with complete_task (or fail_task if you cannot finish it).",
                    null, "acceptEdits", "[]", "[]", 4, new TimeSpan(0, 30, 0), null, 3, new TimeSpan(0, 0, 5), new TimeSpan(0, 5, 0),
                    null, null, 639315936000000000L, 639315936000000000L]);

            migrationBuilder.CreateIndex(
                name: "IX_Workers_AttemptId",
                table: "Workers",
                column: "AttemptId");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_ProjectId",
                table: "Tasks",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Name",
                table: "Projects",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkerProfiles_Name",
                table: "WorkerProfiles",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Projects");

            migrationBuilder.DropTable(
                name: "WorkerProfiles");

            migrationBuilder.DropIndex(
                name: "IX_Workers_AttemptId",
                table: "Workers");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_ProjectId",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "AttemptId",
                table: "Workers");

            migrationBuilder.DropColumn(
                name: "CostUsd",
                table: "Workers");

            migrationBuilder.DropColumn(
                name: "ProcessStartedAt",
                table: "Workers");

            migrationBuilder.DropColumn(
                name: "ProfileName",
                table: "Workers");

            migrationBuilder.DropColumn(
                name: "Summary",
                table: "Workers");

            migrationBuilder.DropColumn(
                name: "Turns",
                table: "Workers");

            migrationBuilder.DropColumn(
                name: "ProjectId",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "Timeout",
                table: "Tasks");
        }
    }
}
