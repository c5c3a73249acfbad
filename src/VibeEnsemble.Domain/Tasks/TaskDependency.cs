namespace VibeEnsemble.Domain.Tasks;

/// <summary>An edge "task waits for another task".</summary>
public sealed class TaskDependency
{
    private TaskDependency()
    {
    }

    internal TaskDependency(Guid taskId, Guid dependsOnTaskId)
    {
        TaskId = taskId;
        DependsOnTaskId = dependsOnTaskId;
    }

    public Guid TaskId { get; private set; }

    public Guid DependsOnTaskId { get; private set; }
}
