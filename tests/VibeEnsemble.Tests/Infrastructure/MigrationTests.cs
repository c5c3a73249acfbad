using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

public sealed class MigrationTests
{
    [Fact]
    public async Task Initialize_FreshFile_CreatesWholeSchemaInWalMode()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var path = Path.Combine(data.Path, "nested", "fresh.db");
        var initializer = Initializer(data, path);

        // Act
        await initializer.InitializeAsync(cancellationToken);
        await initializer.InitializeAsync(cancellationToken);

        // Assert
        await using var connection = new SqliteConnection($"Data Source={path};Foreign Keys=True");
        await connection.OpenAsync(cancellationToken);
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", cancellationToken);
        Assert.Superset(
            new HashSet<string>
            {
                "Agents", "Tasks", "TaskAttempts", "TaskDependencies", "Workers", "WorkerOutput", "Messages",
                "MessageDeliveries", "Knowledge", "KnowledgeRelations", "Issues", "IssueComments", "FileClaims",
                "Conflicts", "PermissionRequests", "__EFMigrationsHistory",
            },
            tables.ToHashSet());
        Assert.Equal(["wal"], await QueryAsync(connection, "PRAGMA journal_mode", cancellationToken));
        Assert.Equal(["1"], await QueryAsync(connection, "PRAGMA foreign_keys", cancellationToken));

        await using var db = TestDatabase.Open(path);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(cancellationToken));
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run dotnet ef migrations add.");
    }

    [Fact]
    public async Task Initialize_FreshFile_IndexesNoAgentColumnOfTasksOrAttempts()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var path = Path.Combine(data.Path, "fresh.db");
        var initializer = Initializer(data, path);

        // Act
        await initializer.InitializeAsync(cancellationToken);

        // Assert: every commit by many agents would write a page per agent in each such index (ADR-005)
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(cancellationToken);
        var indexed = await QueryAsync(connection, """
            SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_index_info(m.name) c
            WHERE m.type = 'index' AND m.tbl_name IN ('Tasks', 'TaskAttempts')
            """, cancellationToken);
        Assert.Contains("IX_Tasks_Status_Priority.Status", indexed);
        Assert.DoesNotContain(indexed, column => column.EndsWith("AgentId", StringComparison.Ordinal));
    }

    private static DatabaseInitializer Initializer(TempDirectory data, string path) => new(TestDatabase.Factory(path),
        Options.Create(new StorageOptions { DataDirectory = data.Path, DatabasePath = path }),
        NullLogger<DatabaseInitializer>.Instance);

    private static async Task<List<string>> QueryAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(Convert.ToString(reader.GetValue(0))!);
        }

        return values;
    }
}
