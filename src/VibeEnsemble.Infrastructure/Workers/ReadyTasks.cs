using Microsoft.Data.Sqlite;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Tasks;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// The ready tasks as the scheduler weighs them, in claim order, read in plain SQL: under a stream of tasks that
/// agents pull, a pass runs every <c>MinimumGap</c>, and a new EF Core context and query each time cost more than
/// the rest of the pass. The columns are in EF Core's formats, as <c>TaskRows</c> writes them.
/// </summary>
internal static class ReadyTasks
{
    private static readonly string Sql = """
        SELECT Id, Priority, CreatedAt, RequiredCapabilities, ProjectId, WaitingReason, Paths, Title
        FROM Tasks WHERE Status = 'Ready'
        """ + " " + TaskRows.ClaimOrderSql;

    public static async Task<List<ReadyTask>> ReadAsync(string databasePath, CancellationToken cancellationToken)
    {
        var ready = new List<ReadyTask>();
        await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(databasePath));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ready.Add(new ReadyTask(
                Guid.Parse(reader.GetString(0)), Enum.Parse<Priority>(reader.GetString(1)),
                TaskRows.Instant(reader.GetInt64(2)), TaskRows.Labels(reader.GetString(3)),
                reader.IsDBNull(4) ? null : Guid.Parse(reader.GetString(4)), reader.IsDBNull(5) ? null : reader.GetString(5),
                TaskRows.Labels(reader.GetString(6)), reader.GetString(7)));
        }

        return ready;
    }
}
