using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Domain.Issues;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Stats;

public sealed class StatsService(IDbContextFactory<VibeEnsembleDbContext> dbFactory)
{
    private static readonly AgentTaskStatus[] s_openTaskStatuses =
        [AgentTaskStatus.Pending, AgentTaskStatus.Assigned, AgentTaskStatus.Running, AgentTaskStatus.WaitingForRetry];

    private static readonly WorkerState[] s_liveWorkerStates = [WorkerState.Starting, WorkerState.Running];

    public async Task<CoordinationStats> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return new CoordinationStats(
            AgentsOnline: await db.Agents.CountAsync(a => a.Status != AgentStatus.Offline, cancellationToken),
            AgentsTotal: await db.Agents.CountAsync(cancellationToken),
            TasksOpen: await db.Tasks.CountAsync(t => s_openTaskStatuses.Contains(t.Status), cancellationToken),
            TasksTotal: await db.Tasks.CountAsync(cancellationToken),
            WorkersRunning: await db.Workers.CountAsync(w => s_liveWorkerStates.Contains(w.State), cancellationToken),
            WorkersTotal: await db.Workers.CountAsync(cancellationToken),
            Messages: await db.Messages.CountAsync(cancellationToken),
            KnowledgeEntries: await db.Knowledge.CountAsync(cancellationToken),
            IssuesOpen: await db.Issues.CountAsync(
                i => i.State == IssueState.Open || i.State == IssueState.InProgress, cancellationToken),
            ConflictsOpen: await db.Conflicts.CountAsync(c => c.State == ConflictState.Open, cancellationToken),
            PermissionRequestsPending: await db.PermissionRequests.CountAsync(
                p => p.State == PermissionState.Pending, cancellationToken));
    }
}
