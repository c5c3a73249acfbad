using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>Brings the database file up to date before anything else touches it.</summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<VibeEnsembleDbContext> dbFactory,
    IOptions<StorageOptions> storage,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var path = storage.Value.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            // Migrate also builds and diffs the whole model (~30 MB of JIT-compiled code that stays resident), so it
            // runs only when there is something to apply.
            await db.Database.MigrateAsync(cancellationToken);
        }

        // WAL is a property of the file, so setting it once here covers every later connection.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        LogDatabaseReady(logger, path, pending.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Path} is ready ({Applied} migrations applied now).")]
    private static partial void LogDatabaseReady(ILogger logger, string path, int applied);
}
