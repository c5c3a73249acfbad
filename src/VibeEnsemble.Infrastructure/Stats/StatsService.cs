using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Domain.Issues;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Stats;

public sealed class StatsService(IDbContextFactory<VibeEnsembleDbContext> dbFactory, IPresenceRegistry presence)
{
    private static readonly AgentTaskStatus[] s_openTaskStatuses =
        [AgentTaskStatus.Blocked, AgentTaskStatus.Ready, AgentTaskStatus.Assigned, AgentTaskStatus.Running, AgentTaskStatus.WaitingForRetry];

    private static readonly WorkerState[] s_liveWorkerStates = [WorkerState.Starting, WorkerState.Running];

    /// <summary>Agent counts come from memory; the rest are counted in the database.</summary>
    public async Task<CoordinationStats> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var agents = presence.Count();
        return new CoordinationStats(
            AgentsOnline: agents.Online,
            AgentsTotal: agents.Total,
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

    /// <summary>The stats with fresh agent counts, for a view that already has the rest.</summary>
    public CoordinationStats WithAgentCounts(CoordinationStats stats)
    {
        var agents = presence.Count();
        return stats with { AgentsOnline = agents.Online, AgentsTotal = agents.Total };
    }
}
