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

    private bool _ready;

    /// <summary>
    /// Once per process: a start runs it before the host (<c>StorageStart</c>), and the host's <c>DatabaseStartup</c>
    /// runs it for hosts started any other way (tests, <c>WebApplicationFactory</c>).
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        var path = storage.Value.DatabasePath;
        PrivateFolder.Create(Path.GetDirectoryName(path)!);

        // On most starts nothing is pending, and then EF Core is not started at all: building its model and
        // services for Migrate costs ~30 MB of JIT-compiled code that would stay resident for nothing.
        var applied = await ReadableAppliedAsync(path, cancellationToken);
        if (applied.Except(s_known, StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault() is { } unknown)
        {
            // Written by a newer version: migrating "down" or running on a schema this build does not know could
            // lose data. The file is left exactly as it is.
            throw new DatabaseTooNewException(
                $"The database {path} was written by a newer version of Vibe Ensemble (migration {unknown} is unknown to this one). Run that version, or point --data-dir at another folder; the file was not changed.");
        }

        var pending = s_known.Except(applied, StringComparer.Ordinal).Count();
        if (pending > 0)
        {
            if (applied.Count > 0)
            {
                Backup(path);
            }

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
        _ready = true;
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

    /// <summary>What a start would find, without changing anything: for <c>doctor</c>.</summary>
    public static async Task<DatabaseStatus> StatusAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return new DatabaseStatus(false, s_known.Length, null);
        }

        var applied = await AppliedAsync(path, cancellationToken);
        return new DatabaseStatus(true, s_known.Except(applied, StringComparer.Ordinal).Count(),
            applied.Except(s_known, StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault());
    }

    /// <summary>Backups kept beside the database: the newest this many.</summary>
    public const int BackupsKept = 3;

    /// <summary>
    /// Copies the database, consistently (SQLite's online backup, so a WAL not yet checkpointed is included), to
    /// <c>&lt;name&gt;.&lt;UTC time&gt;.bak</c> beside it before an upgrade migrates it; keeps the newest three.
    /// </summary>
    private void Backup(string path)
    {
        var target = $"{path}.{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.bak";
        using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            source.Open();
            copy.Open();
            source.BackupDatabase(copy);
        }

        LogBackedUp(logger, target);
        var directory = Path.GetDirectoryName(path)!;
        foreach (var old in Directory.GetFiles(directory, Path.GetFileName(path) + ".*.bak").Order(StringComparer.Ordinal).SkipLast(BackupsKept))
        {
            File.Delete(old);
        }
    }

    /// <summary>
    /// The applied migrations, or a <see cref="DatabaseUnusableException"/> when the file is not a database SQLite
    /// can open (another file given as --db, a damaged one); nothing is written to it then.
    /// </summary>
    private static async Task<HashSet<string>> ReadableAppliedAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await AppliedAsync(path, cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt or SqliteCannotOpen)
        {
            throw new DatabaseUnusableException(
                $"The database {path} cannot be opened: {ex.Message} Restore a .bak beside it, move it away, or point --db or --data-dir elsewhere; the file was not changed.");
        }
    }

    private const int SqliteCorrupt = 11;
    private const int SqliteCannotOpen = 14;
    private const int SqliteNotADatabase = 26;

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Database backed up to {Target} before migrating.")]
    private static partial void LogBackedUp(ILogger logger, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Path} is ready ({Applied} migrations applied now).")]
    private static partial void LogDatabaseReady(ILogger logger, string path, int applied);
}

/// <summary>The database file is not one SQLite can open; it is left as it is.</summary>
public sealed class DatabaseUnusableException(string message) : InvalidOperationException(message);

/// <summary>The database was written by a newer version; this one refuses to touch it.</summary>
public sealed class DatabaseTooNewException(string message) : InvalidOperationException(message);

/// <summary>A database file as a start would find it: present, how many migrations it lacks, one it does not know.</summary>
public sealed record DatabaseStatus(bool Exists, int Pending, string? Unknown);
