using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FileReservations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Exclusive",
                table: "FileClaims",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "ExpiresAt",
                table: "FileClaims",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<Guid>(
                name: "ProjectId",
                table: "FileClaims",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "FileClaims",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_FileClaims_ProjectId_ReleasedAt_ExpiresAt",
                table: "FileClaims",
                columns: new[] { "ProjectId", "ReleasedAt", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_FileClaims_ProjectId_ReleasedAt_ExpiresAt",
                table: "FileClaims");

            migrationBuilder.DropColumn(
                name: "Exclusive",
                table: "FileClaims");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "FileClaims");

            migrationBuilder.DropColumn(
                name: "ProjectId",
                table: "FileClaims");

            migrationBuilder.DropColumn(
                name: "Reason",
                table: "FileClaims");
        }
    }
}
