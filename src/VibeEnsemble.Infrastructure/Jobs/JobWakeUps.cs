using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Tasks;

namespace VibeEnsemble.Infrastructure.Jobs;

/// <summary>
/// Turns coordination events into Hangfire jobs at the times they matter, so that they survive a restart: a task
/// waiting for its retry (or parked behind a usage limit) gets a wake-up at that time, an agent that went offline
/// holding work gets a sweep when its lease ends. Wake-ups are one per kind and distinct second, and each releases
/// every task (or hands on every lease) then due, so many coming due together cost one job: a hundred agents leaving at
/// once (a laptop lid closed) schedule one sweep, not a hundred that each run the whole sweep. Registers the recurring
/// sweep and conflict scan on start.
/// </summary>
internal sealed partial class JobWakeUps(
    CoordinationEventBus events,
    IBackgroundJobClient jobs,
    IRecurringJobManager recurring,
    IOptions<JobOptions> options,
    IOptions<TaskOptions> taskOptions,
    IOptions<Conflicts.ConflictOptions> conflictOptions,
    TimeProvider time,
    ILogger<JobWakeUps> logger) : BackgroundService
{
    public const string SweepJobId = "coordination-sweep";

    private readonly HashSet<(long Second, bool Sweep)> _scheduled = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<CoordinationJobs>(SweepJobId, j => j.SweepAsync(CancellationToken.None), options.Value.SweepCron);
        recurring.AddOrUpdate<ConflictJobs>(ConflictJobs.ScanJobId, j => j.ScanAsync(CancellationToken.None), conflictOptions.Value.ScanCron());
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changes = events.Subscribe(EventKinds.TaskUpdated | EventKinds.AgentOffline);
        try
        {
            await foreach (var change in changes.ReadAllAsync(stoppingToken))
            {
                try
                {
                    switch (change)
                    {
                        case TaskChanged { Task: { Status: AgentTaskStatus.WaitingForRetry, NextAttemptAt: { } due } }:
                            WakeAt(due, sweep: false);
                            break;
                        // A task pushed to an agent is handed on if not started when the lease ends.
                        case TaskChanged { Task: { Status: AgentTaskStatus.Assigned, LeaseExpiresAt: { } leaseEnd } }:
                            WakeAt(leaseEnd, sweep: true);
                            break;
                        // A spawned worker's attempt is settled by its supervisor, not by the lease.
                        case AgentChanged { Change: AgentChange.Disconnected, Agent: { Transport: not "worker" } agent }:
                            WakeAt(agent.LastSeenAt + taskOptions.Value.AgentLease, sweep: true);
                            break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The minute sweep catches what a lost wake-up misses.
                    LogScheduleFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void WakeAt(DateTimeOffset due, bool sweep)
    {
        var second = due.ToUnixTimeSeconds() + 1;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        lock (_scheduled)
        {
            _scheduled.RemoveWhere(s => s.Second < now);
            if (!_scheduled.Add((second, sweep)))
            {
                return;
            }
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(second);
        if (sweep)
        {
            jobs.Schedule<CoordinationJobs>(j => j.SweepAsync(CancellationToken.None), at);
        }
        else
        {
            jobs.Schedule<CoordinationJobs>(j => j.ReleaseDueAsync(CancellationToken.None), at);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not schedule a wake-up job; the minute sweep will catch up.")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception);
}
