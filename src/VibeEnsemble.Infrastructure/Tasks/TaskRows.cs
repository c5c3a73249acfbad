using System.Text.Json;
using Microsoft.Data.Sqlite;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// Tasks read and saved with prepared SQL on the writer: creating, claiming and completing a task are the hot path
/// of orchestration, and EF Core's query compilation and change tracking cost four fifths of each (ADR-005). The
/// column formats are EF Core's own (ids as upper-case text, instants as UTC ticks, enums as names, lists as
/// JSON), so the rest of the code keeps reading tasks through EF Core; a test reads hand-written rows back through it.
/// </summary>
internal static partial class TaskRows
{
    private const string SelectAttemptsSql = """
        SELECT Id, Number, AgentId, WorkerId, StartedAt, EndedAt, Outcome, Reason FROM TaskAttempts WHERE TaskId = $id
        """;

    private const string SelectDependenciesSql = "SELECT DependsOnTaskId FROM TaskDependencies WHERE TaskId = $id";

    private const string InsertDependencySql =
        "INSERT OR IGNORE INTO TaskDependencies (TaskId, DependsOnTaskId) VALUES ($task, $dependsOn)";

    /// <summary>The task with its attempts and dependencies, or null when there is none with that id.</summary>
    public static LoadedTask? Find(WriteContext context, Guid taskId)
    {
        var id = AgentRow.StoredId(taskId);
        StoredTask stored;
        // Every column, in the order Row writes them and ReadTask reads them (TaskColumnNames).
        var select = context.Statement(Tasks.SelectByKeySql, Tasks.KeyParameter);
        select.Parameters[0].Value = id;
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            stored = ReadTask(reader);
        }

        var attempts = new List<TaskAttempt>();
        var selectAttempts = context.Statement(SelectAttemptsSql, "$id");
        selectAttempts.Parameters[0].Value = id;
        using (var reader = selectAttempts.ExecuteReader())
        {
            while (reader.Read())
            {
                attempts.Add(TaskAttempt.Restore(Guid.Parse(reader.GetString(0)), taskId, reader.GetInt32(1),
                    OptionalId(reader, 2), OptionalId(reader, 3), Instant(reader.GetInt64(4)), OptionalInstant(reader, 5),
                    Enum.Parse<AttemptOutcome>(reader.GetString(6)), OptionalText(reader, 7)));
            }
        }

        var dependsOn = new List<Guid>();
        var selectDependencies = context.Statement(SelectDependenciesSql, "$id");
        selectDependencies.Parameters[0].Value = id;
        using (var reader = selectDependencies.ExecuteReader())
        {
            while (reader.Read())
            {
                dependsOn.Add(Guid.Parse(reader.GetString(0)));
            }
        }

        return new LoadedTask(AgentTask.Restore(stored, attempts, dependsOn));
    }

    public static LoadedTask Load(WriteContext context, Guid taskId) =>
        Find(context, taskId) ?? throw new EntityNotFoundException("Task", taskId.ToString());

    public static bool Exists(WriteContext context, Guid taskId)
    {
        var command = context.Statement("SELECT 1 FROM Tasks WHERE Id = $id", "$id");
        command.Parameters[0].Value = AgentRow.StoredId(taskId);
        return command.ExecuteScalar() is not null;
    }

    /// <summary>The title of each of <paramref name="taskIds"/> that is not completed yet.</summary>
    public static List<string> Unfinished(WriteContext context, IEnumerable<Guid> taskIds)
    {
        var titles = new List<string>();
        var command = context.Statement("SELECT Title FROM Tasks WHERE Id = $id AND Status <> 'Completed'", "$id");
        foreach (var id in taskIds)
        {
            command.Parameters[0].Value = AgentRow.StoredId(id);
            if (command.ExecuteScalar() is string title)
            {
                titles.Add(title);
            }
        }

        return titles;
    }

    /// <summary>The blocked tasks that wait for <paramref name="taskId"/>.</summary>
    public static List<Guid> BlockedDependents(WriteContext context, Guid taskId)
    {
        var command = context.Statement("""
            SELECT t.Id FROM TaskDependencies d JOIN Tasks t ON t.Id = d.TaskId
            WHERE d.DependsOnTaskId = $id AND t.Status = 'Blocked'
            """, "$id");
        command.Parameters[0].Value = AgentRow.StoredId(taskId);
        return ReadIds(command);
    }

    /// <summary>A ready task a claim may take, with what predicted conflicts are judged by.</summary>
    public readonly record struct ReadyTask(Guid Id, Guid? ProjectId, string[] Paths);

    // Most urgent first, then oldest. Priority is stored by name, so its rank is spelled out here from the enum.
    private static readonly string ReadyInClaimOrderSql =
        "SELECT Id, RequiredCapabilities, ProjectId, Paths FROM Tasks WHERE Status = 'Ready' ORDER BY CASE Priority "
        + string.Concat(Enum.GetValues<Priority>().OrderDescending().Select((p, rank) => $"WHEN '{p}' THEN {rank} "))
        + "END, CreatedAt";

    /// <summary>
    /// The ready tasks needing only <paramref name="capabilities"/>, in the order a claim takes them, read one at a
    /// time: a claim stops at the first it can take. A queue holds many tasks with the same requirements, so each
    /// distinct list is parsed and matched once per scan, and rows that do not match are not parsed further.
    /// Stop enumerating before writing.
    /// </summary>
    public static IEnumerable<ReadyTask> ReadyInClaimOrder(WriteContext context, IReadOnlySet<string> capabilities)
    {
        var command = context.Statement(ReadyInClaimOrderSql);
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var required = reader.GetString(1);
            if (!verdicts.TryGetValue(required, out var canDo))
            {
                verdicts[required] = canDo = Labels(required).All(capabilities.Contains);
            }

            if (canDo)
            {
                yield return new ReadyTask(Guid.Parse(reader.GetString(0)), OptionalId(reader, 2), Labels(reader.GetString(3)));
            }
        }
    }

    /// <summary>The tasks assigned or running that declared paths (predicted conflicts, <see cref="Conflicts.PathOverlaps"/>).</summary>
    public static List<Conflicts.PathHolder> PathHolders(WriteContext context)
    {
        var command = context.Statement("SELECT Id, Title, ProjectId, Paths FROM Tasks WHERE Status IN ('Assigned', 'Running') AND Paths <> '[]'");
        var holders = new List<Conflicts.PathHolder>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            holders.Add(new Conflicts.PathHolder(Guid.Parse(reader.GetString(0)), reader.GetString(1), OptionalId(reader, 2), Labels(reader.GetString(3))));
        }

        return holders;
    }

    private static StoredTask ReadTask(SqliteDataReader r) => new(
        Guid.Parse(r.GetString(0)), r.GetString(1), r.GetString(2), Labels(r.GetString(3)),
        Enum.Parse<Priority>(r.GetString(4)), Enum.Parse<AgentTaskStatus>(r.GetString(5)), OptionalText(r, 6),
        OptionalId(r, 7), OptionalId(r, 8), r.IsDBNull(9) ? null : r.GetTimeSpan(9),
        r.IsDBNull(10) ? null : Enum.Parse<TaskIsolation>(r.GetString(10)), OptionalText(r, 11), Labels(r.GetString(12)),
        OptionalId(r, 13), OptionalId(r, 14), r.GetInt32(15), OptionalInstant(r, 16), OptionalInstant(r, 17),
        OptionalText(r, 18), OptionalText(r, 19), Instant(r.GetInt64(20)), Instant(r.GetInt64(21)), OptionalInstant(r, 22),
        Labels(r.GetString(23)));

    private static List<Guid> ReadIds(SqliteCommand command)
    {
        var ids = new List<Guid>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
        }

        return ids;
    }

    // Most tasks have no paths and many no required capabilities: no deserializer for those.
    private static string[] Labels(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? OptionalInstant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Instant(reader.GetInt64(ordinal));

    private static Guid? OptionalId(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Guid.Parse(reader.GetString(ordinal));

    private static string? OptionalText(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
