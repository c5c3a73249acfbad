using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class KnowledgeBase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Author",
                table: "Knowledge",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "NotUsefulVotes",
                table: "Knowledge",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ProjectId",
                table: "Knowledge",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SearchId",
                table: "Knowledge",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "UsefulVotes",
                table: "Knowledge",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Knowledge",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "KnowledgeVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    Tags = table.Column<string>(type: "TEXT", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EditedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EditedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KnowledgeVersions_Knowledge_EntryId",
                        column: x => x.EntryId,
                        principalTable: "Knowledge",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "KnowledgeVotes",
                columns: table => new
                {
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Voter = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Useful = table.Column<bool>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeVotes", x => new { x.EntryId, x.Voter });
                    table.ForeignKey(
                        name: "FK_KnowledgeVotes_Knowledge_EntryId",
                        column: x => x.EntryId,
                        principalTable: "Knowledge",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Knowledge_ProjectId",
                table: "Knowledge",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_Knowledge_SearchId",
                table: "Knowledge",
                column: "SearchId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Knowledge_UpdatedAt",
                table: "Knowledge",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeVersions_EntryId_Number",
                table: "KnowledgeVersions",
                columns: new[] { "EntryId", "Number" },
                unique: true);

            // Entries written before categories and relation kinds were fixed lists take the nearest one.
            migrationBuilder.Sql("UPDATE Knowledge SET Category = 'Reference' WHERE Category NOT IN ('Pattern', 'Practice', 'Solution', 'Guideline', 'Reference', 'Decision');");
            migrationBuilder.Sql("UPDATE OR IGNORE KnowledgeRelations SET Kind = 'RelatesTo' WHERE Kind NOT IN ('RelatesTo', 'Supersedes', 'Contradicts', 'DerivedFrom');");
            migrationBuilder.Sql("DELETE FROM KnowledgeRelations WHERE Kind NOT IN ('RelatesTo', 'Supersedes', 'Contradicts', 'DerivedFrom');");

            // Full-text search: an FTS5 index over the entries' own columns (external content, so the text is stored
            // once), Porter stemming, prefix indexes for 2 and 3 characters, kept in sync by these triggers.
            migrationBuilder.Sql("UPDATE Knowledge SET SearchId = rowid;");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE KnowledgeSearch USING fts5(
                    Title, Body, Tags, content = 'Knowledge', content_rowid = 'SearchId',
                    tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Knowledge_SearchInsert AFTER INSERT ON Knowledge BEGIN
                    UPDATE Knowledge SET SearchId = (SELECT IFNULL(MAX(SearchId), 0) + 1 FROM Knowledge) WHERE Id = new.Id;
                    INSERT INTO KnowledgeSearch (rowid, Title, Body, Tags) SELECT SearchId, Title, Body, Tags FROM Knowledge WHERE Id = new.Id;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Knowledge_SearchDelete AFTER DELETE ON Knowledge BEGIN
                    INSERT INTO KnowledgeSearch (KnowledgeSearch, rowid, Title, Body, Tags) VALUES ('delete', old.SearchId, old.Title, old.Body, old.Tags);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Knowledge_SearchUpdate AFTER UPDATE OF Title, Body, Tags ON Knowledge BEGIN
                    INSERT INTO KnowledgeSearch (KnowledgeSearch, rowid, Title, Body, Tags) VALUES ('delete', old.SearchId, old.Title, old.Body, old.Tags);
                    INSERT INTO KnowledgeSearch (rowid, Title, Body, Tags) VALUES (new.SearchId, new.Title, new.Body, new.Tags);
                END;
                """);
            migrationBuilder.Sql("INSERT INTO KnowledgeSearch (KnowledgeSearch) VALUES ('rebuild');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Knowledge_SearchInsert;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Knowledge_SearchDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS Knowledge_SearchUpdate;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS KnowledgeSearch;");

            migrationBuilder.DropTable(
                name: "KnowledgeVersions");

            migrationBuilder.DropTable(
                name: "KnowledgeVotes");

            migrationBuilder.DropIndex(
                name: "IX_Knowledge_ProjectId",
                table: "Knowledge");

            migrationBuilder.DropIndex(
                name: "IX_Knowledge_SearchId",
                table: "Knowledge");

            migrationBuilder.DropIndex(
                name: "IX_Knowledge_UpdatedAt",
                table: "Knowledge");

            migrationBuilder.DropColumn(
                name: "Author",
                table: "Knowledge");

            migrationBuilder.DropColumn(
                name: "NotUsefulVotes",
                table: "Knowledge");

            migrationBuilder.DropColumn(
                name: "ProjectId",
                table: "Knowledge");

            migrationBuilder.DropColumn(
                name: "SearchId",
                table: "Knowledge");

            migrationBuilder.DropColumn(
                name: "UsefulVotes",
                table: "Knowledge");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Knowledge");
        }
    }
}
