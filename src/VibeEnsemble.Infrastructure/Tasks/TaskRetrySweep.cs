using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// Hands on tasks whose agent has gone (past the lease) and makes tasks whose retry time has come ready again. Both
/// are read from the task rows and presence, so nothing is lost across a restart: after one, every agent is offline
/// with the last-seen time it had, and the sweeps pick up where the crash left off.
/// </summary>
internal sealed partial class TaskRetrySweep(
    TaskService tasks, IOptions<TaskOptions> options, TimeProvider time, ILogger<TaskRetrySweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetrySweepInterval, time);
        try
        {
            do
            {
                try
                {
                    await tasks.InterruptAbandonedAsync(stoppingToken);
                    await tasks.ReleaseDueRetriesAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release tasks due for a retry; will try again.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
