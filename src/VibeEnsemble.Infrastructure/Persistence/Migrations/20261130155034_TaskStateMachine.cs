using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TaskStateMachine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Kept, not dropped: the attempt's error text is its reason.
            migrationBuilder.RenameColumn(
                name: "Error",
                table: "TaskAttempts",
                newName: "Reason");

            // "Pending" became "Ready" (Blocked is new, and only set from now on).
            migrationBuilder.Sql("UPDATE Tasks SET Status = 'Ready' WHERE Status = 'Pending';");

            migrationBuilder.AddColumn<long>(
                name: "LeaseExpiresAt",
                table: "Tasks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ParentTaskId",
                table: "Tasks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Progress",
                table: "Tasks",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WaitingReason",
                table: "Tasks",
                type: "TEXT",
                maxLength: 4200,
                nullable: true);


            migrationBuilder.CreateIndex(
                name: "IX_Tasks_ParentTaskId",
                table: "Tasks",
                column: "ParentTaskId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_ParentTaskId",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "ParentTaskId",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "Progress",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "WaitingReason",
                table: "Tasks");

            migrationBuilder.RenameColumn(
                name: "Reason",
                table: "TaskAttempts",
                newName: "Error");

            migrationBuilder.Sql("UPDATE Tasks SET Status = 'Pending' WHERE Status IN ('Ready', 'Blocked');");
        }
    }
}
