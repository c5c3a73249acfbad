using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// Writing tasks. A new task is inserted; a loaded one is updated in the columns that changed only. SQLite rewrites
/// the index entries of every column an UPDATE names and checks the foreign keys of the agent columns whether their
/// values moved or not: on this machine a full-row upsert of a task cost ~27 µs, updating the two to four columns a
/// claim or a completion changes ~5 µs, and every task is saved at least three times (created, claimed, completed).
/// </summary>
internal static partial class TaskRows
{
    // Column 0 is the key of both tables; the order is the order of Row (and, for tasks, of ReadTask).
    private static readonly string[] TaskColumnNames =
    [
        "Id", "Title", "Description", "RequiredCapabilities", "Priority", "Status", "WaitingReason", "ParentTaskId",
        "ProjectId", "Timeout", "Isolation", "Branch", "ChangedFiles", "AssigneeAgentId", "CreatedByAgentId",
        "MaxAttempts", "NextAttemptAt", "LeaseExpiresAt", "Progress", "Result", "CreatedAt", "UpdatedAt", "CompletedAt",
        "Paths",
    ];

    private static readonly string[] AttemptColumnNames =
        ["Id", "TaskId", "Number", "AgentId", "WorkerId", "StartedAt", "EndedAt", "Outcome", "Reason"];

    private static readonly Table Tasks = new("Tasks", TaskColumnNames);
    private static readonly Table Attempts = new("TaskAttempts", AttemptColumnNames);

    /// <summary>Inserts a task that is not stored yet, with its attempts and dependencies.</summary>
    public static void Insert(WriteContext context, AgentTask task)
    {
        var row = Row(task);
        Tasks.Insert(context, row);
        foreach (var attempt in task.Attempts)
        {
            Attempts.Insert(context, Row(attempt, row[0]));
        }

        InsertDependencies(context, task, row[0], stored: null);
    }

    /// <summary>Writes what changed in a loaded task since it was read: its columns, its attempts, its new dependencies.</summary>
    public static void Save(WriteContext context, LoadedTask loaded)
    {
        var task = loaded.Task;
        var row = Row(task);
        Tasks.UpdateChanged(context, row, loaded.Row);
        foreach (var attempt in task.Attempts)
        {
            var attemptRow = Row(attempt, row[0]);
            if (loaded.Attempts.TryGetValue(attempt.Id, out var before))
            {
                Attempts.UpdateChanged(context, attemptRow, before);
            }
            else
            {
                Attempts.Insert(context, attemptRow);
            }
        }

        InsertDependencies(context, task, row[0], loaded.Dependencies);
    }

    private static void InsertDependencies(WriteContext context, AgentTask task, object taskId, HashSet<Guid>? stored)
    {
        foreach (var dependency in task.Dependencies)
        {
            if (stored?.Contains(dependency.DependsOnTaskId) == true)
            {
                continue;
            }

            context.Prepared(InsertDependencySql)
                .Bind(1, taskId).Bind(2, dependency.DependsOnTaskId)
                .Execute();
        }
    }

    /// <summary>The task's stored values in <see cref="TaskColumnNames"/> order, in EF Core's column formats.</summary>
    internal static object[] Row(AgentTask task) =>
    [
        task.Id, task.Title, task.Description, Json(task.RequiredCapabilities),
        task.Priority.ToString(), task.Status.ToString(), Nullable(task.WaitingReason), IdOrNull(task.ParentTaskId),
        IdOrNull(task.ProjectId),
        task.Timeout is { } timeout ? timeout.ToString("c", CultureInfo.InvariantCulture) : DBNull.Value,
        Nullable(task.Isolation?.ToString()), Nullable(task.Branch), Json(task.ChangedFiles),
        IdOrNull(task.AssigneeAgentId), IdOrNull(task.CreatedByAgentId), task.MaxAttempts,
        Ticks(task.NextAttemptAt), Ticks(task.LeaseExpiresAt), Nullable(task.Progress), Nullable(task.Result),
        task.CreatedAt.UtcTicks, task.UpdatedAt.UtcTicks, Ticks(task.CompletedAt), Json(task.Paths),
    ];

    /// <summary>The attempt's stored values in <see cref="AttemptColumnNames"/> order.</summary>
    internal static object[] Row(TaskAttempt attempt, object taskId) =>
    [
        attempt.Id, taskId, attempt.Number, IdOrNull(attempt.AgentId),
        IdOrNull(attempt.WorkerId), attempt.StartedAt.UtcTicks, Ticks(attempt.EndedAt),
        attempt.Outcome.ToString(), Nullable(attempt.Reason),
    ];

    // As EF Core writes a list; an empty one, the usual case, without the serializer.
    private static string Json(IReadOnlyList<string> labels) => labels.Count == 0 ? "[]" : JsonSerializer.Serialize(labels);

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    // Ids stay Guids in a row: PreparedStatement writes them as EF Core stores them, without a string between.
    private static object IdOrNull(Guid? id) => id is { } value ? value : DBNull.Value;

    private static object Ticks(DateTimeOffset? value) => value is { } instant ? instant.UtcTicks : DBNull.Value;

    /// <summary>Prepared SELECT, INSERT and column-set UPDATE statements for one table whose first column is its key.</summary>
    private sealed class Table
    {
        private readonly string _name;
        private readonly string[] _columns;

        // Column i is named $p{i} in every statement of the table (bound by position: see UpdateChanged).
        private readonly string[] _parameterNames;
        private readonly string _insertSql;

        // One statement per set of changed columns; the domain's moves make a few dozen such sets at most.
        private readonly ConcurrentDictionary<long, string> _updates = new();

        public Table(string name, string[] columns)
        {
            (_name, _columns) = (name, columns);
            _parameterNames = [.. columns.Select((_, i) => $"$p{i}")];
            _insertSql = $"INSERT INTO {name} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", _parameterNames)})";
            SelectByKeySql = $"SELECT {string.Join(", ", columns)} FROM {name} WHERE {columns[0]} = {_parameterNames[0]}";
        }

        /// <summary>Every column of the row whose key is bound as its one parameter.</summary>
        public string SelectByKeySql { get; }

        public void Insert(WriteContext context, object[] row)
        {
            var command = context.Prepared(_insertSql);
            for (var i = 0; i < row.Length; i++)
            {
                command.Bind(i + 1, row[i]);
            }

            command.Execute();
        }

        public void UpdateChanged(WriteContext context, object[] row, object[] before)
        {
            long changed = 0;
            for (var i = 1; i < row.Length; i++)
            {
                if (!Equals(row[i], before[i]))
                {
                    changed |= 1L << i;
                }
            }

            if (changed == 0)
            {
                return;
            }

            // Parameters are numbered in the order they appear: the changed columns in order, then the key.
            var command = context.Prepared(_updates.GetOrAdd(changed, Build));
            var position = 1;
            for (var i = 1; i < row.Length; i++)
            {
                if ((changed & (1L << i)) != 0)
                {
                    command.Bind(position++, row[i]);
                }
            }

            command.Bind(position, row[0]).Execute();
        }

        private string Build(long changed)
        {
            var set = Enumerable.Range(1, _columns.Length - 1).Where(i => (changed & (1L << i)) != 0);
            var assignments = string.Join(", ", set.Select(i => $"{_columns[i]} = {_parameterNames[i]}"));
            return $"UPDATE {_name} SET {assignments} WHERE {_columns[0]} = {_parameterNames[0]}";
        }
    }
}
