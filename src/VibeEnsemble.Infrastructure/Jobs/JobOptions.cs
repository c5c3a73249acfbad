namespace VibeEnsemble.Infrastructure.Jobs;

/// <summary>Hangfire, which carries the low-rate work that must survive a restart (ADR-003). Bound from <c>VibeEnsemble:Jobs</c>.</summary>
public sealed class JobOptions
{
    public const string SectionName = "VibeEnsemble:Jobs";

    /// <summary>When the safety-net sweep runs (cron). Default every minute.</summary>
    public string SweepCron { get; set; } = "* * * * *";

    /// <summary>Hangfire worker threads; its jobs are short and rare. Default 2.</summary>
    public int WorkerCount { get; set; } = 2;

    /// <summary>
    /// How often due scheduled jobs and the queue are polled. Default 1 s: a retry is released at most about that
    /// late. The SQLite storage has no wake-up, so this is also its idle cost (a query per poll).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When a fetched job that has not finished is handed out again (the storage has no sliding timeout, so this must
    /// exceed the longest job; ours take milliseconds). Also how late a job cut short by a crash runs again.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Workers whose output is kept; the output of older ones is deleted by the sweep. Default 200.</summary>
    public int RetainedWorkerOutputs { get; set; } = 200;
}
