using VibeEnsemble.Domain.Tasks;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// A task as read on the writer, with the values its rows held then, so that saving it writes only what changed.
/// </summary>
internal sealed class LoadedTask
{
    internal LoadedTask(AgentTask task)
    {
        Task = task;
        Row = TaskRows.Row(task);
        Attempts = task.Attempts.ToDictionary(a => a.Id, a => TaskRows.Row(a, Row[0]));
        Dependencies = [.. task.Dependencies.Select(d => d.DependsOnTaskId)];
    }

    public AgentTask Task { get; }

    internal object[] Row { get; }

    internal Dictionary<Guid, object[]> Attempts { get; }

    internal HashSet<Guid> Dependencies { get; }
}
