using System.Globalization;
using System.Text.Json;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;
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
        StoredTask stored;
        // Every column, in the order Row writes them and ReadTask reads them (TaskColumnNames).
        using (var rows = context.Prepared(Tasks.SelectByKeySql).Bind(1, taskId).Query())
        {
            if (!rows.Read())
            {
                return null;
            }

            stored = ReadTask(rows);
        }

        var attempts = new List<TaskAttempt>();
        using (var rows = context.Prepared(SelectAttemptsSql).Bind(1, taskId).Query())
        {
            while (rows.Read())
            {
                attempts.Add(TaskAttempt.Restore(rows.GetGuid(0), taskId, rows.GetInt32(1), rows.GetGuidOrNull(2),
                    rows.GetGuidOrNull(3), Instant(rows.GetInt64(4)), OptionalInstant(rows, 5),
                    Enum.Parse<AttemptOutcome>(rows.GetText(6)), rows.GetTextOrNull(7)));
            }
        }

        var dependsOn = new List<Guid>();
        using (var rows = context.Prepared(SelectDependenciesSql).Bind(1, taskId).Query())
        {
            while (rows.Read())
            {
                dependsOn.Add(rows.GetGuid(0));
            }
        }

        return new LoadedTask(AgentTask.Restore(stored, attempts, dependsOn));
    }

    public static LoadedTask Load(WriteContext context, Guid taskId) =>
        Find(context, taskId) ?? throw new EntityNotFoundException("Task", taskId.ToString());

    public static bool Exists(WriteContext context, Guid taskId)
    {
        var command = context.Prepared("SELECT 1 FROM Tasks WHERE Id = $id");
        return command.Bind(1, taskId).ScalarInt64() is not null;
    }

    /// <summary>The title of each of <paramref name="taskIds"/> that is not completed yet.</summary>
    public static List<string> Unfinished(WriteContext context, IEnumerable<Guid> taskIds)
    {
        var titles = new List<string>();
        var command = context.Prepared("SELECT Title FROM Tasks WHERE Id = $id AND Status <> 'Completed'");
        foreach (var id in taskIds)
        {
            if (command.Bind(1, id).ScalarText() is { } title)
            {
                titles.Add(title);
            }
        }

        return titles;
    }

    /// <summary>The blocked tasks that wait for <paramref name="taskId"/>.</summary>
    public static List<Guid> BlockedDependents(WriteContext context, Guid taskId)
    {
        var command = context.Prepared("""
            SELECT t.Id FROM TaskDependencies d JOIN Tasks t ON t.Id = d.TaskId
            WHERE d.DependsOnTaskId = $id AND t.Status = 'Blocked'
            """).Bind(1, taskId);
        var ids = new List<Guid>();
        using var rows = command.Query();
        while (rows.Read())
        {
            ids.Add(rows.GetGuid(0));
        }

        return ids;
    }

    /// <summary>A ready task a claim may take, with what predicted conflicts are judged by.</summary>
    public readonly record struct ReadyTask(Guid Id, Guid? ProjectId, string[] Paths);

    /// <summary>
    /// The order ready tasks are taken in, as SQL: most urgent first, then oldest. Priority is stored by name, so its
    /// rank is spelled out here from the enum. Claims and the scheduler's pass both read in it.
    /// </summary>
    internal static readonly string ClaimOrderSql =
        "ORDER BY CASE Priority "
        + string.Concat(Enum.GetValues<Priority>().OrderDescending().Select((p, rank) => $"WHEN '{p}' THEN {rank} "))
        + "END, CreatedAt";

    private static readonly string ReadyInClaimOrderSql =
        "SELECT Id, RequiredCapabilities, ProjectId, Paths FROM Tasks WHERE Status = 'Ready' " + ClaimOrderSql;

    /// <summary>
    /// The ready tasks needing only <paramref name="capabilities"/>, in the order a claim takes them, read one at a
    /// time: a claim stops at the first it can take. A queue holds many tasks with the same requirements, so each
    /// distinct list is parsed and matched once per scan, and rows that do not match are not parsed further.
    /// Stop enumerating before writing.
    /// </summary>
    public static IEnumerable<ReadyTask> ReadyInClaimOrder(WriteContext context, IReadOnlySet<string> capabilities)
    {
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        using var rows = context.Prepared(ReadyInClaimOrderSql).Query();
        while (rows.Read())
        {
            var required = rows.GetText(1);
            if (!verdicts.TryGetValue(required, out var canDo))
            {
                verdicts[required] = canDo = Labels(required).All(capabilities.Contains);
            }

            if (canDo)
            {
                yield return new ReadyTask(rows.GetGuid(0), rows.GetGuidOrNull(2), Labels(rows.GetText(3)));
            }
        }
    }

    /// <summary>The tasks assigned or running that declared paths (predicted conflicts, <see cref="Conflicts.PathOverlaps"/>).</summary>
    public static List<Conflicts.PathHolder> PathHolders(WriteContext context)
    {
        var holders = new List<Conflicts.PathHolder>();
        using var rows = context.Prepared(
            "SELECT Id, Title, ProjectId, Paths FROM Tasks WHERE Status IN ('Assigned', 'Running') AND Paths <> '[]'").Query();
        while (rows.Read())
        {
            holders.Add(new Conflicts.PathHolder(
                rows.GetGuid(0), rows.GetText(1), rows.GetGuidOrNull(2), Labels(rows.GetText(3))));
        }

        return holders;
    }

    private static StoredTask ReadTask(PreparedStatement.Rows r) => new(
        r.GetGuid(0), r.GetText(1), r.GetText(2), Labels(r.GetText(3)),
        Enum.Parse<Priority>(r.GetText(4)), Enum.Parse<AgentTaskStatus>(r.GetText(5)), r.GetTextOrNull(6),
        r.GetGuidOrNull(7), r.GetGuidOrNull(8),
        r.IsNull(9) ? null : TimeSpan.Parse(r.GetText(9), CultureInfo.InvariantCulture),
        r.IsNull(10) ? null : Enum.Parse<TaskIsolation>(r.GetText(10)), r.GetTextOrNull(11), Labels(r.GetText(12)),
        r.GetGuidOrNull(13), r.GetGuidOrNull(14), r.GetInt32(15), OptionalInstant(r, 16), OptionalInstant(r, 17),
        r.GetTextOrNull(18), r.GetTextOrNull(19), Instant(r.GetInt64(20)), Instant(r.GetInt64(21)),
        OptionalInstant(r, 22), Labels(r.GetText(23)));

    // Most tasks have no paths and many no required capabilities: no deserializer for those.
    internal static string[] Labels(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>An instant as EF Core stores it (UTC ticks); also for plain-SQL readers of tasks (<c>ReadyTasks</c>).</summary>
    internal static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? OptionalInstant(PreparedStatement.Rows rows, int column) =>
        rows.IsNull(column) ? null : Instant(rows.GetInt64(column));
}
