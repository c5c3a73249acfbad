using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Jobs;

internal static class JobsSetup
{
    /// <summary>The Hangfire file beside the database: its own file, so its polling never contends with our writer.</summary>
    public const string FileName = "hangfire.db";

    /// <summary>
    /// Hangfire on SQLite storage in the data directory, a small server (its jobs are few and short) and the
    /// wake-ups that feed it. Registered after the writer, so jobs start after it and stop before it.
    /// </summary>
    public static IServiceCollection AddCoordinationJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.SectionName)
            .Validate(o => o.WorkerCount is >= 1 and <= 20 && o.PollInterval >= TimeSpan.FromMilliseconds(200)
                    && o.InvisibilityTimeout >= TimeSpan.FromSeconds(30) && o.RetainedWorkerOutputs >= 1
                    && LooksLikeCron(o.SweepCron),
                $"{JobOptions.SectionName}: WorkerCount must be 1-20, PollInterval at least 00:00:00.2, InvisibilityTimeout at least 00:00:30, RetainedWorkerOutputs at least 1 and SweepCron a cron expression such as '* * * * *'.")
            .ValidateOnStart();
        services.AddSingleton<CoordinationJobs>();
        services.AddSingleton<ConflictJobs>();
        services.AddHangfire((sp, configuration) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            var directory = sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory;
            // Resolved with the hosted services, before the database start-up has created the folder.
            PrivateFolder.Create(directory);
            var path = Path.Combine(directory, FileName);
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseStorage(new SQLiteStorage(path, new SQLiteStorageOptions
                {
                    QueuePollInterval = jobs.PollInterval,
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                    // Its default pool holds 20 open connections; a few rare jobs need two or three.
                    PoolSize = 4,
                }));
        });
        services.AddHangfireServer((sp, server) =>
        {
            var jobs = sp.GetRequiredService<IOptions<JobOptions>>().Value;
            server.WorkerCount = jobs.WorkerCount;
            server.SchedulePollingInterval = jobs.PollInterval;
            server.ServerName = $"vibe-ensemble:{Environment.ProcessId}";
        });
        services.AddHostedService<JobWakeUps>();
        return services;
    }

    /// <summary>Five or six cron fields (Hangfire keeps its parser internal; it refuses the rest when it registers the job).</summary>
    private static bool LooksLikeCron(string? cron) =>
        cron?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 5 or 6 } fields
        && fields.All(f => f.Length <= 100 && f.All(c => char.IsAsciiLetterOrDigit(c) || "*/,-?#".Contains(c)));
}
