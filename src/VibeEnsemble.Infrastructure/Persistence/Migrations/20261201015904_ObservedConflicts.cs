using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Conflicts become what a scan observed (two sides, files, severity, facts, resolution) instead of a pair of
    /// claims. No version ever wrote the old table, so it is replaced rather than rebuilt column by column (which
    /// SQLite would do with foreign keys off, outside a transaction).
    /// </summary>
    public partial class ObservedConflicts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "Conflicts");

            migrationBuilder.CreateTable(
                name: "Conflicts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Files = table.Column<string>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    First_AgentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    First_AgentName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    First_TaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    First_TaskTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    First_Branch = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Second_AgentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Second_AgentName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Second_TaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Second_TaskTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Second_Branch = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Resolution = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Conflicts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Conflicts_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(name: "IX_Conflicts_Key_State", table: "Conflicts", columns: new[] { "Key", "State" });
            migrationBuilder.CreateIndex(name: "IX_Conflicts_ProjectId", table: "Conflicts", column: "ProjectId");
            migrationBuilder.CreateIndex(name: "IX_Conflicts_State_DetectedAt", table: "Conflicts", columns: new[] { "State", "DetectedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "Conflicts");

            migrationBuilder.CreateTable(
                name: "Conflicts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Path = table.Column<string>(type: "TEXT", nullable: false),
                    FirstClaimId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SecondClaimId = table.Column<Guid>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Resolution = table.Column<string>(type: "TEXT", nullable: true),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Conflicts", x => x.Id);
                    table.ForeignKey("FK_Conflicts_FileClaims_FirstClaimId", x => x.FirstClaimId, "FileClaims", "Id", onDelete: ReferentialAction.Cascade);
                    table.ForeignKey("FK_Conflicts_FileClaims_SecondClaimId", x => x.SecondClaimId, "FileClaims", "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(name: "IX_Conflicts_FirstClaimId", table: "Conflicts", column: "FirstClaimId");
            migrationBuilder.CreateIndex(name: "IX_Conflicts_SecondClaimId", table: "Conflicts", column: "SecondClaimId");
            migrationBuilder.CreateIndex(name: "IX_Conflicts_State", table: "Conflicts", column: "State");
        }
    }
}
