using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>
/// Writes last-seen times every <see cref="PresenceOptions.FlushInterval"/> and once more on shutdown; the server
/// (<paramref name="syncStdio"/>) also takes in what <c>--stdio</c> processes did to their agents meanwhile, and marks
/// silent agents Stale, then Offline.
/// </summary>
internal sealed partial class PresenceFlusher(
    AgentService agents, IOptions<PresenceOptions> options, IOptions<Persistence.StorageOptions> storage, TimeProvider time,
    ILogger<PresenceFlusher> logger, bool syncStdio)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Hosted services stop in reverse order: the writer was registered first, so it still runs here.
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await agents.FlushLastSeenAsync(cancellationToken);
            if (syncStdio)
            {
                await agents.SyncForeignAsync(cancellationToken);
                // The server also judges silence (a --stdio process serves one session, which ends with it).
                await agents.SweepLivenessAsync(options.Value.StaleAfter, options.Value.OfflineAfter,
                    token => Tasks.TaskSweepProbe.HoldersAsync(storage.Value.DatabasePath, token), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save last-seen times; will try again.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
