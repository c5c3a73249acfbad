using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Tasks;
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

    [Fact]
    public async Task Initialize_FreshFile_IndexesOnlyTaskColumnsThatHaveValues_AndQueriesUseThem()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var path = Path.Combine(data.Path, "fresh.db");
        await Initializer(data, path).InitializeAsync(cancellationToken);
        await using var db = TestDatabase.Open(path);
        var (parentId, now) = (Guid.NewGuid(), DateTimeOffset.UtcNow);
        var children = db.Tasks.Where(t => t.ParentTaskId == parentId).OrderBy(t => t.CreatedAt);
        var dueRetries = db.Tasks.Where(t => t.Status == AgentTaskStatus.WaitingForRetry && t.NextAttemptAt <= now);

        // Act
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(cancellationToken);
        var partial = await QueryAsync(connection,
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Tasks' AND sql LIKE '% WHERE % IS NOT NULL'",
            cancellationToken);
        var indexed = await QueryAsync(connection, """
            SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_index_info(m.name) c
            WHERE m.type = 'index' AND m.tbl_name IN ('Tasks', 'TaskAttempts')
            """, cancellationToken);
        var childrenPlan = await PlanAsync(connection, children.ToQueryString(), cancellationToken);
        var dueRetriesPlan = await PlanAsync(connection, dueRetries.ToQueryString(), cancellationToken);

        // Assert: an index over a column most rows leave NULL gets an entry per task all the same, on its last page,
        // one page more in every commit that creates tasks; the lookups still use theirs (ADR-005)
        Assert.Equal(["IX_Tasks_NextAttemptAt", "IX_Tasks_ParentTaskId"], partial.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("IX_Tasks_ProjectId.ProjectId", indexed);
        Assert.DoesNotContain("IX_TaskAttempts_WorkerId.WorkerId", indexed);
        Assert.Contains("USING INDEX IX_Tasks_ParentTaskId", childrenPlan, StringComparison.Ordinal);
        Assert.Matches("SEARCH t USING INDEX (IX_Tasks_NextAttemptAt|IX_Tasks_Status_Priority)", dueRetriesPlan);
    }

    /// <summary>SQLite's plan for a query as EF Core prints it (its <c>.param set</c> lines dropped: unbound is NULL).</summary>
    private static async Task<string> PlanAsync(SqliteConnection connection, string efCoreSql, CancellationToken cancellationToken)
    {
        var sql = string.Join('\n', efCoreSql.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal)));
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var plan = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            plan.Add(reader.GetString(3));
        }

        return string.Join('\n', plan);
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
