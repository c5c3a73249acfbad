using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VibeEnsemble.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EventLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The event stream's log (/api/events): written and read with plain SQL only, so it has no EF entity.
            // AUTOINCREMENT: ids never go back, even after the oldest rows are pruned, so Last-Event-ID stays valid.
            migrationBuilder.Sql("""
                CREATE TABLE CoordinationEvents (
                    Id INTEGER PRIMARY KEY AUTOINCREMENT,
                    Type TEXT NOT NULL,
                    Agents TEXT NULL,
                    At INTEGER NOT NULL,
                    Data TEXT NOT NULL)
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE CoordinationEvents");
        }
    }
}
