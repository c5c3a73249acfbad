using Microsoft.Data.Sqlite;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// Asks, in plain SQL, whether a sweep (or the worker scheduler) has anything to do. They run every few seconds, and
/// going through EF Core each time would build its model in every idle server (~40 MB resident) for nothing.
/// </summary>
internal static class TaskSweepProbe
{
    public static Task<bool> AnyDueRetryAsync(string databasePath, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExistsAsync(databasePath, "SELECT EXISTS (SELECT 1 FROM Tasks WHERE Status = 'WaitingForRetry' AND NextAttemptAt <= $now)",
            now.UtcTicks, cancellationToken);

    public static Task<bool> AnyHeldByAgentAsync(string databasePath, CancellationToken cancellationToken) =>
        ExistsAsync(databasePath, "SELECT EXISTS (SELECT 1 FROM Tasks WHERE Status IN ('Running', 'Assigned') AND AssigneeAgentId IS NOT NULL)",
            null, cancellationToken);

    public static Task<bool> AnyLiveWorkerAsync(string databasePath, CancellationToken cancellationToken) =>
        ExistsAsync(databasePath, "SELECT EXISTS (SELECT 1 FROM Workers WHERE State IN ('Starting', 'Running'))", null, cancellationToken);

    /// <summary>The agents holding a task now (assigned or running): they are not taken offline for being quiet.</summary>
    public static async Task<IReadOnlySet<Guid>> HoldersAsync(string databasePath, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(databasePath));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT AssigneeAgentId FROM Tasks WHERE Status IN ('Running', 'Assigned') AND AssigneeAgentId IS NOT NULL";
        var holders = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            holders.Add(Guid.Parse(reader.GetString(0)));
        }

        return holders;
    }

    private static async Task<bool> ExistsAsync(string databasePath, string sql, long? now, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(databasePath));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (now is { } ticks)
        {
            command.Parameters.AddWithValue("$now", ticks);
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }
}
