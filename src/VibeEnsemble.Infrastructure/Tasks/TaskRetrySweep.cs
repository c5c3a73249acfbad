using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// Makes tasks whose retry time has come ready again. The times live on the task rows, so nothing is lost across a
/// restart: the first sweep after start releases whatever came due meanwhile.
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
