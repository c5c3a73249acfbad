using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Tasks;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// Decides, whenever something changes (a task ready, an agent online or gone, a worker ended) and on a timer as
/// the safety net, which ready tasks get a spawned worker: those no connected work-seeking agent can take, by
/// priority then age, when a profile covers them and the global, project and profile limits allow. Every task it
/// cannot start says why. On start it first settles workers a previous run of the server left behind.
/// </summary>
internal sealed partial class WorkerScheduler(
    IDbContextFactory<VibeEnsembleDbContext> dbFactory,
    IDurableWriter writer,
    CoordinationEventBus events,
    IPresenceRegistry presence,
    WorkSeekers seekers,
    AssignmentListeners listeners,
    TaskService tasks,
    WorkerRegistry registry,
    WorkerSpawner spawner,
    IOptions<StorageOptions> storage,
    IOptions<WorkerOptions> options,
    IOptions<TaskOptions> taskOptions,
    TimeProvider time,
    ILogger<WorkerScheduler> logger) : BackgroundService
{
    /// <summary>The least time between two event-driven passes; a spawn decision waits at most this long.</summary>
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(50);

    private readonly Channel<bool> _pulse = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Before the server reports started: nothing from a previous run is left running.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        // Permission requests of the last run have nobody waiting for them now.
        await writer.ExecuteAsync(new Permissions.ExpireLeftoverRequestsCommand(time), cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changes = events.Subscribe(EventKinds.TaskUpdated | EventKinds.WorkerUpdated | EventKinds.AgentRegistered | EventKinds.AgentOffline);
        void Pulse() => _pulse.Writer.TryWrite(true);
        listeners.Changed += Pulse;
        var watching = WatchAsync(changes, stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ScheduleInterval, time);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var pulse = _pulse.Reader.ReadAsync(stoppingToken).AsTask();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var started = time.GetTimestamp();
                try
                {
                    await ScheduleAsync(stoppingToken);
                    await CheckStallsAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogScheduleFailed(logger, ex);
                }

                if (await Task.WhenAny(pulse, tick) == tick)
                {
                    await tick;
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    await pulse;
                    pulse = _pulse.Reader.ReadAsync(stoppingToken).AsTask();
                    // Under a stream of task events (thousands a second) one pass per event would take a core: passes
                    // are spaced at least MinimumGap apart, and everything that happened meanwhile is one pass.
                    var elapsed = time.GetElapsedTime(started);
                    if (elapsed < MinimumGap)
                    {
                        await Task.Delay(MinimumGap - elapsed, time, stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            listeners.Changed -= Pulse;
            await StopAllAsync();
            await watching;
        }
    }

    /// <summary>Stops workers whose task was cancelled or moved on, and schedules again on any relevant change.</summary>
    private async Task WatchAsync(EventSubscription changes, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in changes.ReadAllAsync(stoppingToken))
            {
                if (change is TaskChanged { Task: var task })
                {
                    foreach (var run in registry.Running.Where(r => r.TaskId == task.Id))
                    {
                        if (task.Status == AgentTaskStatus.Cancelled)
                        {
                            run.Stop($"the task was cancelled: {task.WaitingReason}");
                        }
                        else if (task.Status is AgentTaskStatus.Ready or AgentTaskStatus.Assigned or AgentTaskStatus.Running
                            && task.CurrentAttemptId != run.AttemptId)
                        {
                            run.Stop("its attempt is no longer the task's current one");
                        }
                    }

                    if (task.Status != AgentTaskStatus.Ready && task.Status != AgentTaskStatus.Completed)
                    {
                        continue;
                    }
                }

                _pulse.Writer.TryWrite(true);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ScheduleAsync(CancellationToken cancellationToken)
    {
        var ready = await ReadyTasks.ReadAsync(storage.Value.DatabasePath, cancellationToken);
        if (ready.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        // Used only by the queries below that a pass needs; a context nothing queries costs little.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = now - taskOptions.Value.AgentLease;
        var takers = presence.List(null).Where(a => a.Status != AgentStatus.Offline && seekers.AskedSince(a.Id, since)).ToList();
        // Under a stream of tasks that connected agents pull, a pass runs every MinimumGap and all it needs is the
        // ready tasks: profiles and projects matter only for a task no such agent can take (the spawn rule), the
        // holders of declared paths only when a ready task declares paths.
        var spawnable = ready.Any(t => !DispatchRules.AnyCovers(takers, t.RequiredCapabilities));
        var allProfiles = spawnable ? await db.WorkerProfiles.AsNoTracking().ToListAsync(cancellationToken) : [];
        var projects = spawnable ? await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id, cancellationToken) : [];
        var rules = new DispatchRules(await PushTargetsAsync(db, cancellationToken), taskOptions.Value.MaxTasksPerAgent, takers,
            allProfiles, projects, new WorkerSlots(registry, options.Value.MaxConcurrent), now);
        var reasons = new Dictionary<Guid, string?>();
        var holders = ready.Any(t => t.Paths.Count > 0) ? await PathHoldersAsync(db, cancellationToken) : [];
        foreach (var task in ready)
        {
            // Predicted conflict: it waits for the task already changing the same paths.
            if (Conflicts.PathOverlaps.WaitReason(task.ProjectId, task.Paths, holders) is { } overlap)
            {
                if (overlap != task.WaitingReason)
                {
                    reasons[task.Id] = overlap;
                }

                continue;
            }

            var decision = rules.Decide(task);
            if (decision is not Dispatch.Wait && task.Paths.Count > 0)
            {
                // Started in this pass: later tasks of the pass must see its paths as held.
                holders.Add(new Conflicts.PathHolder(task.Id, task.Title, task.ProjectId, task.Paths));
            }

            switch (decision)
            {
                case Dispatch.Assign { Target: var target }:
                    await tasks.AssignAsync(task.Id, target.Agent.Id, target.ConnectionId, cancellationToken);
                    break;
                case Dispatch.Spawn { Profile: var profile, Project: var project }:
                    // Registered as running before it returns, so the next task sees the slot taken.
                    await spawner.SpawnAsync(task.Id, profile, project, cancellationToken);
                    break;
                case Dispatch.Wait { Reason: var reason } when reason != task.WaitingReason:
                    reasons[task.Id] = reason;
                    break;
            }
        }

        if (reasons.Count > 0)
        {
            await writer.ExecuteAsync(new ExplainWaitsCommand(reasons, events, time), cancellationToken);
        }
    }

    /// <summary>The tasks assigned or running that declared paths.</summary>
    private static async Task<List<Conflicts.PathHolder>> PathHoldersAsync(VibeEnsembleDbContext db, CancellationToken cancellationToken) =>
        (await db.Tasks.AsNoTracking().Where(t => t.Status == AgentTaskStatus.Assigned || t.Status == AgentTaskStatus.Running)
            .Select(t => new { t.Id, t.Title, t.ProjectId, t.Paths }).ToListAsync(cancellationToken))
            .Where(t => t.Paths.Count > 0).Select(t => new Conflicts.PathHolder(t.Id, t.Title, t.ProjectId, t.Paths)).ToList();

    /// <summary>The online agents listening for pushed work, with how many tasks each holds now.</summary>
    private async Task<IReadOnlyList<PushTarget>> PushTargetsAsync(VibeEnsembleDbContext db, CancellationToken cancellationToken)
    {
        var listening = listeners.Connections
            .Select(connection => (Connection: connection, Agent: presence.OnConnection(connection)))
            .Where(l => l.Agent is { Status: not AgentStatus.Offline })
            .ToList();
        if (listening.Count == 0)
        {
            return [];
        }

        var ids = listening.Select(l => l.Agent!.Id).ToList();
        var holding = await db.Tasks.AsNoTracking()
            .Where(t => (t.Status == AgentTaskStatus.Assigned || t.Status == AgentTaskStatus.Running) && t.AssigneeAgentId != null && ids.Contains(t.AssigneeAgentId.Value))
            .GroupBy(t => t.AssigneeAgentId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. listening.Select(l => new PushTarget(l.Agent!, l.Connection, holding.GetValueOrDefault(l.Agent!.Id)))];
    }

    /// <summary>Settles workers that were running when the server stopped: stops any still alive, retries their tasks.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (!await TaskSweepProbe.AnyLiveWorkerAsync(storage.Value.DatabasePath, cancellationToken))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leftovers = await db.Workers.AsNoTracking()
            .Where(w => w.State == WorkerState.Starting || w.State == WorkerState.Running).ToListAsync(cancellationToken);
        foreach (var worker in leftovers)
        {
            var stopped = worker is { ProcessId: { } pid, ProcessStartedAt: { } started } && WorkerProcess.StopLeftover(pid, started);
            var worktree = await FinishLeftoverWorktreeAsync(db, worker, cancellationToken);
            var verdict = WorkerVerdict.Decide(new WorkerVerdict.Observed(null, null, null, false,
                stopped ? "the server restarted while it ran; its process was stopped" : "the server restarted while it ran",
                null, null, StopRetryable: true), time.GetUtcNow());
            await writer.ExecuteAsync(new SettleWorkerCommand(worker.Id, verdict, WorkerState.Stopped, null, null, time.GetUtcNow(), worktree, events, time), cancellationToken);
            LogRecovered(logger, worker.Id, worker.ProcessId, stopped);
        }
    }

    /// <summary>
    /// A worker that ran in a worktree leaves it behind when the server dies: its work is committed to the branch and
    /// the worktree removed (or kept if that fails), so that the next attempt can check the branch out again.
    /// </summary>
    private async Task<WorktreeOutcome?> FinishLeftoverWorktreeAsync(VibeEnsembleDbContext db, Worker worker, CancellationToken cancellationToken)
    {
        var root = Path.Combine(storage.Value.DataDirectory, "worktrees") + Path.DirectorySeparatorChar;
        if (worker.TaskId is not { } taskId || !worker.WorkingDirectory.StartsWith(root, StringComparison.Ordinal) || !Directory.Exists(worker.WorkingDirectory))
        {
            return null;
        }

        var projectDirectory = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId)
            .Join(db.Projects.AsNoTracking(), t => t.ProjectId, p => p.Id, (_, p) => p.WorkingDirectory).SingleOrDefaultAsync(cancellationToken);
        return projectDirectory is null ? null
            : await GitWorktrees.FinishAsync(projectDirectory, worker.WorkingDirectory, GitWorktrees.BranchFor(taskId), "HEAD",
                "vibe: work left by an attempt the server's restart interrupted", cancellationToken);
    }

    /// <summary>Marks workers silent for longer than the stall time, and tells live views (rare: EF Core is fine here).</summary>
    private async Task CheckStallsAsync(CancellationToken cancellationToken)
    {
        var stallAfter = options.Value.StallAfter;
        var now = time.GetUtcNow();
        foreach (var run in registry.Running.Where(r => !r.Stalled && now - r.LastOutputAt > stallAfter))
        {
            run.Stalled = true;
            LogStalled(logger, run.WorkerId, stallAfter);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await db.Workers.AsNoTracking().Where(w => w.Id == run.WorkerId).Select(WorkerSnapshot.Projection).SingleOrDefaultAsync(cancellationToken) is { } worker)
            {
                events.Publish(new WorkerChanged(worker with { Stalled = true }, now));
            }
        }
    }

    private async Task StopAllAsync()
    {
        var running = registry.Running;
        foreach (var run in running)
        {
            run.Stop("the server is shutting down", retryable: true);
        }

        await Task.WhenAll(running.Select(r => r.Completion));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling workers failed; will try again.")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} (process {ProcessId}) was running when the server stopped; process stopped now: {Stopped}. Its task will be retried.")]
    private static partial void LogRecovered(ILogger logger, Guid workerId, int? processId, bool stopped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} has printed nothing for {StallAfter}; shown as stalled.")]
    private static partial void LogStalled(ILogger logger, Guid workerId, TimeSpan stallAfter);
}
