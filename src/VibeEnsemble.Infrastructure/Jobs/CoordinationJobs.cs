using Hangfire;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Jobs;

/// <summary>
/// The Hangfire jobs. Each takes no entity, reads the domain rows and changes them with conditional writes, so a
/// job run twice (the SQLite storage may hand one out again after its invisibility timeout) does no harm.
/// </summary>
public sealed partial class CoordinationJobs(
    TaskService tasks, PermissionBroker permissions, IDurableWriter writer, IOptions<JobOptions> options, IOptions<StorageOptions> storage,
    ILogger<CoordinationJobs> logger)
{
    /// <summary>Makes ready every task whose retry (or parking) time has come; scheduled at those times.</summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task ReleaseDueAsync(CancellationToken cancellationToken)
    {
        var released = await tasks.ReleaseDueRetriesAsync(cancellationToken);
        if (released > 0)
        {
            LogReleased(logger, released);
        }
    }

    /// <summary>
    /// The safety net, every minute: hands on tasks of agents gone past their lease, releases due retries that a lost
    /// wake-up missed, and keeps worker output and the permission audit within their retention.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var interrupted = await tasks.InterruptAbandonedAsync(cancellationToken);
        var released = await tasks.ReleaseDueRetriesAsync(cancellationToken);
        var pruned = await writer.ExecuteAsync(new PruneWorkerOutputCommand(options.Value.RetainedWorkerOutputs), cancellationToken);
        await PruneOutputFoldersAsync(cancellationToken);
        await permissions.PruneAsync(cancellationToken);
        if (interrupted + released + pruned > 0)
        {
            LogSwept(logger, interrupted, released, pruned);
        }
    }

    /// <summary>Deletes the folders of whole long lines (<see cref="WorkerOutput.FolderIn"/>) of workers past the retention.</summary>
    private async Task PruneOutputFoldersAsync(CancellationToken cancellationToken)
    {
        var root = WorkerOutput.FolderIn(storage.Value.DataDirectory);
        if (!Directory.Exists(root))
        {
            return;
        }

        // Plain SQL: the sweep runs in idle servers too, which must not build the EF Core model for it.
        var kept = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var connection = new SqliteConnection(SqliteConnections.ConnectionString(storage.Value.DatabasePath)))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Id FROM Workers ORDER BY CreatedAt DESC LIMIT $keep";
            command.Parameters.AddWithValue("$keep", options.Value.RetainedWorkerOutputs);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                kept.Add(Guid.Parse(reader.GetString(0)).ToString("N"));
            }
        }

        foreach (var folder in Directory.EnumerateDirectories(root).Where(f => !kept.Contains(Path.GetFileName(f))))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException ex)
            {
                LogPruneFailed(logger, ex, folder);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the old output folder {Folder}; the next sweep tries again.")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} tasks were due for a retry and are ready again.")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep: {Interrupted} abandoned tasks handed on, {Released} due retries released, {Pruned} old output lines deleted.")]
    private static partial void LogSwept(ILogger logger, int interrupted, int released, int pruned);
}

/// <summary>Deletes the output of all but the newest <paramref name="keepWorkers"/> workers, a bounded batch at a time.</summary>
internal sealed class PruneWorkerOutputCommand(int keepWorkers) : IWriteCommand<int>
{
    private const int BatchSize = 20_000;

    public int Execute(WriteContext context)
    {
        var delete = context.Prepared("""
            DELETE FROM WorkerOutput WHERE Id IN (
                SELECT o.Id FROM WorkerOutput o
                WHERE o.WorkerId NOT IN (SELECT Id FROM Workers ORDER BY CreatedAt DESC LIMIT $keep)
                LIMIT $batch)
            """, "$keep", "$batch");
        return delete.Bind(1, keepWorkers).Bind(2, BatchSize).Execute();
    }
}
