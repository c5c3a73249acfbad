using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TaskIsolationAndArtifacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Branch",
                table: "Tasks",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChangedFiles",
                table: "Tasks",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Isolation",
                table: "Tasks",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DefaultIsolation",
                table: "Projects",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                // Projects made before isolation existed run their tasks in the project directory, as they did.
                defaultValue: "Shared");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Branch",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "ChangedFiles",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "Isolation",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "DefaultIsolation",
                table: "Projects");
        }
    }
}
