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
    WorkerRegistry registry,
    WorkerSpawner spawner,
    IOptions<StorageOptions> storage,
    IOptions<WorkerOptions> options,
    IOptions<TaskOptions> taskOptions,
    TimeProvider time,
    ILogger<WorkerScheduler> logger) : BackgroundService
{
    private readonly Channel<bool> _pulse = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Before the server reports started: nothing from a previous run is left running.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changes = events.Subscribe(EventKinds.TaskUpdated | EventKinds.WorkerUpdated | EventKinds.AgentRegistered | EventKinds.AgentOffline);
        var watching = WatchAsync(changes, stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ScheduleInterval, time);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ScheduleAsync(stoppingToken);
                    CheckStalls();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogScheduleFailed(logger, ex);
                }

                var pulse = _pulse.Reader.ReadAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(pulse, tick) == tick)
                {
                    await tick;
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
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
        if (!await TaskSweepProbe.AnyReadyAsync(storage.Value.DatabasePath, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ready = (await db.Tasks.AsNoTracking().Where(t => t.Status == AgentTaskStatus.Ready)
                .Select(t => new ReadyTask(t.Id, t.Priority, t.CreatedAt, t.RequiredCapabilities, t.ProjectId, t.WaitingReason))
                .ToListAsync(cancellationToken))
            .OrderByDescending(t => t.Priority).ThenBy(t => t.CreatedAt).ToList();
        if (ready.Count == 0)
        {
            return;
        }

        var allProfiles = await db.WorkerProfiles.AsNoTracking().ToListAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id, cancellationToken);
        var since = now - taskOptions.Value.AgentLease;
        var takers = presence.List(null).Where(a => a.Status != AgentStatus.Offline && seekers.AskedSince(a.Id, since)).ToList();
        var slots = new WorkerSlots(registry, options.Value.MaxConcurrent);
        var reasons = new Dictionary<Guid, string?>();
        foreach (var task in ready)
        {
            var reason = Decide(task, takers, allProfiles, projects, slots, now, out var spawn);
            if (spawn is { } start)
            {
                // Registered as running before it returns, so the next task sees the slot taken.
                await spawner.SpawnAsync(task.Id, start.Profile, start.Project, cancellationToken);
            }
            else if (reason != task.WaitingReason)
            {
                reasons[task.Id] = reason;
            }
        }

        if (reasons.Count > 0)
        {
            await writer.ExecuteAsync(new ExplainWaitsCommand(reasons, events, time), cancellationToken);
        }
    }

    /// <summary>Why <paramref name="task"/> waits (null when a connected agent will take it), or the worker to start.</summary>
    private static string? Decide(
        ReadyTask task, IReadOnlyList<AgentSnapshot> takers, IReadOnlyList<WorkerProfile> profiles,
        IReadOnlyDictionary<Guid, Domain.Projects.Project> projects, WorkerSlots slots, DateTimeOffset now, out SpawnChoice? spawn)
    {
        spawn = null;
        if (takers.Any(a => Covers(a.Capabilities, task.RequiredCapabilities)))
        {
            return null;
        }

        var profile = profiles.Select(p => (Profile: p, Fit: p.Fit(task.RequiredCapabilities)))
            .Where(p => p.Fit is not null).OrderBy(p => p.Fit).ThenBy(p => p.Profile.Name, StringComparer.OrdinalIgnoreCase)
            .Select(p => p.Profile).FirstOrDefault();
        if (profile is null)
        {
            return $"no online agent or profile covers capabilities [{string.Join(", ", task.RequiredCapabilities)}]";
        }

        if (task.ProjectId is not { } projectId || !projects.TryGetValue(projectId, out var project))
        {
            return "no project: a spawned worker runs in a project's directory; create one with upsert_project and name it in create_task";
        }

        if (profile.IsParked(now))
        {
            return $"profile '{profile.Name}' is parked until {profile.ParkedUntil:u}: {profile.ParkedReason}";
        }

        if (slots.Refusal(profile, project) is { } full)
        {
            return full;
        }

        spawn = new SpawnChoice(profile, project);
        return null;
    }

    private static bool Covers(IReadOnlyList<string> has, IReadOnlyList<string> required)
    {
        var set = new HashSet<string>(has, StringComparer.OrdinalIgnoreCase);
        return required.All(set.Contains);
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
            var verdict = WorkerVerdict.Decide(new WorkerVerdict.Observed(null, null, null, false,
                stopped ? "the server restarted while it ran; its process was stopped" : "the server restarted while it ran",
                null, null, StopRetryable: true), time.GetUtcNow());
            await writer.ExecuteAsync(new SettleWorkerCommand(worker.Id, verdict, WorkerState.Stopped, null, null, time.GetUtcNow(), events, time), cancellationToken);
            LogRecovered(logger, worker.Id, worker.ProcessId, stopped);
        }
    }

    private void CheckStalls()
    {
        var stallAfter = options.Value.StallAfter;
        var now = time.GetUtcNow();
        foreach (var run in registry.Running)
        {
            if (!run.Stalled && now - run.LastOutputAt > stallAfter)
            {
                run.Stalled = true;
                LogStalled(logger, run.WorkerId, stallAfter);
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

    private sealed record ReadyTask(
        Guid Id, Domain.Common.Priority Priority, DateTimeOffset CreatedAt, IReadOnlyList<string> RequiredCapabilities, Guid? ProjectId,
        string? WaitingReason);

    private sealed record SpawnChoice(WorkerProfile Profile, Domain.Projects.Project Project);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling workers failed; will try again.")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} (process {ProcessId}) was running when the server stopped; process stopped now: {Stopped}. Its task will be retried.")]
    private static partial void LogRecovered(ILogger logger, Guid workerId, int? processId, bool stopped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} has printed nothing for {StallAfter}; shown as stalled.")]
    private static partial void LogStalled(ILogger logger, Guid workerId, TimeSpan stallAfter);
}

/// <summary>The global, project and profile limits, counted from the running workers.</summary>
internal sealed class WorkerSlots(WorkerRegistry registry, int maxConcurrent)
{
    public string? Refusal(WorkerProfile profile, Domain.Projects.Project project)
    {
        if (registry.Count >= maxConcurrent)
        {
            return $"waiting for a worker slot ({registry.Count}/{maxConcurrent} running)";
        }

        var inProject = registry.CountIn(project.Id);
        if (inProject >= project.MaxConcurrentWorkers)
        {
            return $"waiting for a worker slot in project '{project.Name}' ({inProject}/{project.MaxConcurrentWorkers} running)";
        }

        var ofProfile = registry.CountFor(profile.Name);
        return ofProfile >= profile.MaxConcurrentWorkers
            ? $"waiting for a worker slot of profile '{profile.Name}' ({ofProfile}/{profile.MaxConcurrentWorkers} running)"
            : null;
    }
}
