using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>
/// Says who is asking for a permission: a spawned worker (its task, attempt, resolved directory, project and
/// profile, so that the policy sees where it works), or any other agent, which has no directory and so is covered
/// only by rules that need none.
/// </summary>
public sealed class PermissionCallers(ProjectService projects)
{
    public async ValueTask<PermissionCaller> ForAsync(WorkerRun? worker, AgentSnapshot? agent, CancellationToken cancellationToken)
    {
        if (worker is null)
        {
            return new PermissionCaller(agent?.Id);
        }

        var project = (await projects.ListAsync(cancellationToken)).FirstOrDefault(p => p.Id == worker.ProjectId);
        return new PermissionCaller(agent?.Id, worker.WorkerId, worker.TaskId, worker.AttemptId,
            CallArgument.Resolve(Path.GetFullPath(worker.WorkingDirectory)), project?.Name, worker.ProfileName);
    }
}
