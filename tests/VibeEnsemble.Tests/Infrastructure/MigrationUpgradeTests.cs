using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

/// <summary>A database written by an older version is brought up to date at start without losing anything.</summary>
public sealed class MigrationUpgradeTests
{
    [Fact]
    public async Task Initialize_DatabaseOfTheFirstRelease_KeepsTasksAndAttemptReasons()
    {
        // Arrange: the schema of the first migration, with a task and a failed attempt as that version wrote them.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var path = data.File("old.db");
        await using (var db = TestDatabase.Open(path))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261124153458_InitialCreate", cancellationToken);
        }

        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO Tasks (Id, Title, Description, RequiredCapabilities, Priority, Status, MaxAttempts, CreatedAt, UpdatedAt)
                VALUES ('0196F2A6-0000-7000-8000-000000000001', 'Old task', '', '["c#"]', 'Normal', 'Pending', 3, 1, 1);
                INSERT INTO TaskAttempts (Id, TaskId, Number, StartedAt, EndedAt, Outcome, Error)
                VALUES ('0196F2A6-0000-7000-8000-000000000002', '0196F2A6-0000-7000-8000-000000000001', 1, 1, 2, 'Failed', 'compiler crashed');
                """;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        var initializer = new DatabaseInitializer(TestDatabase.Factory(path),
            Options.Create(new StorageOptions { DataDirectory = data.Path, DatabasePath = path }),
            NullLogger<DatabaseInitializer>.Instance);

        // Act
        await initializer.InitializeAsync(cancellationToken);

        // Assert
        await using var upgraded = TestDatabase.Open(path);
        var task = await upgraded.Tasks.Include(t => t.Attempts).SingleAsync(cancellationToken);
        Assert.Equal(AgentTaskStatus.Ready, task.Status);
        Assert.Equal("compiler crashed", Assert.Single(task.Attempts).Reason);
        Assert.Empty(await upgraded.Database.GetPendingMigrationsAsync(cancellationToken));
        // The file as it was before the upgrade is kept beside it, and still reads as the old schema.
        var backup = Assert.Single(Directory.GetFiles(data.Path, "old.db.*.bak"));
        await using var old = new SqliteConnection($"Data Source={backup};Pooling=False");
        await old.OpenAsync(cancellationToken);
        await using var count = old.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM __EFMigrationsHistory";
        Assert.Equal(1L, await count.ExecuteScalarAsync(cancellationToken));
    }

    [Fact]
    public async Task Initialize_DatabaseOfANewerVersion_IsRefusedAndLeftByteForByte()
    {
        // Arrange: an up-to-date file that also records a migration this build does not know.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var path = data.File("newer.db");
        await using (var db = TestDatabase.Open(path))
        {
            await db.Database.MigrateAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231000000_FromTheFuture', '99.0.0')", cancellationToken);
        }

        SqliteConnection.ClearAllPools();
        var before = await File.ReadAllBytesAsync(path, cancellationToken);
        var initializer = new DatabaseInitializer(TestDatabase.Factory(path),
            Options.Create(new StorageOptions { DataDirectory = data.Path, DatabasePath = path }),
            NullLogger<DatabaseInitializer>.Instance);

        // Act
        var refused = await Assert.ThrowsAsync<DatabaseTooNewException>(() => initializer.InitializeAsync(cancellationToken));

        // Assert
        Assert.Contains("29991231000000_FromTheFuture", refused.Message);
        Assert.Contains("was not changed", refused.Message);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, await File.ReadAllBytesAsync(path, cancellationToken));
        Assert.Empty(Directory.GetFiles(data.Path, "*.bak"));
    }
}
