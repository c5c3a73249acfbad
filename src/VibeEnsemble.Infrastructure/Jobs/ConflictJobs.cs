using Hangfire;
using VibeEnsemble.Infrastructure.Conflicts;

namespace VibeEnsemble.Infrastructure.Jobs;

/// <summary>
/// The conflict scan as a recurring Hangfire job (every <see cref="ConflictOptions.ScanInterval"/>): scans running
/// workers' worktrees, then escalates what stayed open too long. Harmless when run twice: the scan records by key and
/// escalation is conditional.
/// </summary>
public sealed class ConflictJobs(ConflictService conflicts)
{
    public const string ScanJobId = "conflict-scan";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        await conflicts.ScanAsync(cancellationToken);
        await conflicts.EscalateOverdueAsync(cancellationToken);
    }
}
