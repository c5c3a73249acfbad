using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UnindexedAgentColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_AssigneeAgentId",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_CreatedByAgentId",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_TaskAttempts_AgentId",
                table: "TaskAttempts");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Tasks_AssigneeAgentId",
                table: "Tasks",
                column: "AssigneeAgentId");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_CreatedByAgentId",
                table: "Tasks",
                column: "CreatedByAgentId");

            migrationBuilder.CreateIndex(
                name: "IX_TaskAttempts_AgentId",
                table: "TaskAttempts",
                column: "AgentId");
        }
    }
}
