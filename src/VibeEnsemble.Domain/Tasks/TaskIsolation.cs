using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Tasks;

/// <summary>Where a spawned worker does a task.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskIsolation>))]
public enum TaskIsolation
{
    /// <summary>In the project's directory itself, shared with everyone else working there.</summary>
    Shared = 0,

    /// <summary>
    /// In a git worktree of its own on the branch <c>vibe/&lt;short task id&gt;</c>; its work is committed there and the
    /// branch kept when the task ends.
    /// </summary>
    Worktree = 1,
}
