using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>Brings the database file up to date before anything else touches it.</summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<VibeEnsembleDbContext> dbFactory,
    IOptions<StorageOptions> storage,
    ILogger<DatabaseInitializer> logger)
{
    // The migrations compiled into this build, read from their attributes rather than through EF Core.
    private static readonly string[] s_known = [.. typeof(VibeEnsembleDbContext).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(VibeEnsembleDbContext))
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id)
        .OfType<string>()
        .Order(StringComparer.Ordinal)];

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var path = storage.Value.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // On most starts nothing is pending, and then EF Core is not started at all: building its model and
        // services for Migrate costs ~30 MB of JIT-compiled code that would stay resident for nothing.
        var pending = s_known.Except(await AppliedAsync(path, cancellationToken), StringComparer.Ordinal).Count();
        if (pending > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }

        // WAL is a property of the file, so setting it once here covers every later connection.
        await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(path));
        await connection.OpenAsync(cancellationToken);
        await using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL";
        await wal.ExecuteNonQueryAsync(cancellationToken);
        LogDatabaseReady(logger, path, pending);
    }

    /// <summary>Whether the database file answers a query; for the health endpoint, without EF Core.</summary>
    public async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(storage.Value.DatabasePath));
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return Equals(await command.ExecuteScalarAsync(cancellationToken), 1L);
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private static async Task<HashSet<string>> AppliedAsync(string path, CancellationToken cancellationToken)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(path));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            return applied;
        }

        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetString(0));
        }

        return applied;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Path} is ready ({Applied} migrations applied now).")]
    private static partial void LogDatabaseReady(ILogger logger, string path, int applied);
}
