using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Jobs;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Stats;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Transports;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Workers;

namespace Microsoft.Extensions.DependencyInjection;

public static class InfrastructureDependencyInjection
{
    /// <summary>Storage, the writer, presence, the application services and the in-process event bus.</summary>
    /// <param name="ownsPresence">
    /// True for the server: no agent connection survives a restart, so every agent starts offline. A
    /// <c>--stdio</c> process shares the file with a running server and leaves the others' presence alone.
    /// </param>
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder, bool ownsPresence)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<StorageOptions>, StorageOptionsSetup>();
        services.AddSingleton<IValidateOptions<StorageOptions>, ValidateStorageOptions>();
        services.AddOptions<WriterOptions>().BindConfiguration(WriterOptions.SectionName)
            .Validate(o => o.QueueCapacity > 0 && o.MaxBatchSize > 0,
                $"{WriterOptions.SectionName}:QueueCapacity and :MaxBatchSize must be positive numbers.")
            .ValidateOnStart();
        services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.SectionName)
            .Validate(o => o.FlushInterval >= TimeSpan.FromMilliseconds(100) && o.FlushInterval <= TimeSpan.FromHours(1),
                $"{PresenceOptions.SectionName}:FlushInterval must be between 00:00:00.1 and 01:00:00.")
            .Validate(o => o.StaleAfter >= TimeSpan.FromSeconds(1) && o.OfflineAfter >= o.StaleAfter,
                $"{PresenceOptions.SectionName}:StaleAfter must be at least 00:00:01 and OfflineAfter at least StaleAfter.")
            .ValidateOnStart();
        services.AddOptions<ConnectionOptions>().BindConfiguration(ConnectionOptions.SectionName)
            .Validate(o => o.SendStallTimeout >= TimeSpan.FromSeconds(1),
                $"{ConnectionOptions.SectionName}:SendStallTimeout must be at least 00:00:01.")
            .ValidateOnStart();
        services.AddOptions<TaskOptions>().BindConfiguration(TaskOptions.SectionName)
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay && o.RetryFactor >= 1
                    && o.AgentLease > TimeSpan.Zero && o.MaxTasksPerAgent is >= 1 and <= 1_000,
                $"{TaskOptions.SectionName}: RetryBaseDelay and AgentLease must be positive, RetryMaxDelay at least RetryBaseDelay, RetryFactor at least 1 and MaxTasksPerAgent 1-1000.")
            .ValidateOnStart();

        // Two migrations rebuild a table, which SQLite needs done with foreign keys off, outside a transaction; EF Core
        // warns about it on every fresh start. Not hidden lightly: DatabaseInitializer copies an existing database to a
        // backup before it migrates, and a new file has nothing to lose, so a crash mid-migration costs no data.
        // A task is read with its attempts and its dependencies in one joined query: both are bounded (100 each) and
        // nearly always a handful, and one statement reads one snapshot; lists of tasks ask for AsSplitQuery themselves.
        // Said here so EF Core stops warning about the choice in every user's log.
        services.AddDbContextFactory<VibeEnsembleDbContext>((sp, options) => options
            .UseSqlite(
                SqliteConnections.ConnectionString(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DatabasePath),
                sqlite => sqlite.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning)));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CoordinationEventBus>();
        services.AddOptions<EventLogOptions>().BindConfiguration(EventLogOptions.SectionName)
            .Validate(o => o.Retain is >= 1_000 and <= 100_000_000 && o.ReaderBuffer is >= 100 and <= 1_000_000,
                $"{EventLogOptions.SectionName}: Retain must be 1000-100000000 and ReaderBuffer 100-1000000.")
            .ValidateOnStart();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<DataFolderLock>();
        services.AddSingleton<SqliteDurableWriter>();
        services.AddSingleton<IDurableWriter>(sp => sp.GetRequiredService<SqliteDurableWriter>());
        services.AddSingleton<PresenceRegistry>();
        services.AddSingleton<IPresenceRegistry>(sp => sp.GetRequiredService<PresenceRegistry>());
        services.AddSingleton<AgentService>();
        services.AddSingleton<StatsService>();
        services.AddSingleton<TaskService>();
        services.AddSingleton<WorkSeekers>();
        services.AddSingleton<AssignmentListeners>();
        services.AddSingleton<ProjectService>();
        services.AddSingleton<ProfileService>();
        services.AddSingleton<WorkerRegistry>();
        services.AddSingleton<WorkerService>();
        services.AddSingleton<WorkerSpawner>();
        services.AddSingleton<PermissionRuleService>();
        services.AddSingleton<PermissionBroker>();
        services.AddSingleton<PermissionCallers>();
        services.AddSingleton<VibeEnsemble.Infrastructure.Messages.MessageService>();
        services.AddSingleton<VibeEnsemble.Infrastructure.Issues.IssueService>();
        services.AddSingleton<VibeEnsemble.Infrastructure.Knowledge.KnowledgeService>();
        services.AddSingleton<VibeEnsemble.Infrastructure.Conflicts.ReservationService>();
        services.AddSingleton<VibeEnsemble.Infrastructure.Conflicts.ConflictService>();
        services.AddOptions<VibeEnsemble.Infrastructure.Conflicts.ConflictOptions>().BindConfiguration(VibeEnsemble.Infrastructure.Conflicts.ConflictOptions.SectionName)
            .Validate(o => o.ScanInterval >= TimeSpan.FromSeconds(1) && o.ScanInterval <= TimeSpan.FromHours(1) && o.ScanInterval.Ticks % TimeSpan.TicksPerSecond == 0
                    && o.EscalateAfter >= TimeSpan.FromSeconds(1),
                $"{VibeEnsemble.Infrastructure.Conflicts.ConflictOptions.SectionName}: ScanInterval must be whole seconds from 00:00:01 to 01:00:00, EscalateAfter at least 00:00:01.")
            .ValidateOnStart();
        services.AddOptions<PermissionOptions>().BindConfiguration(PermissionOptions.SectionName)
            .Validate(o => o.AskTimeout >= TimeSpan.FromSeconds(1) && o.AskTimeout <= TimeSpan.FromDays(1) && o.AuditRetention >= TimeSpan.FromHours(1),
                $"{PermissionOptions.SectionName}: AskTimeout must be between 00:00:01 and 1.00:00:00, AuditRetention at least 01:00:00.")
            .ValidateOnStart();
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => o.MaxConcurrent is >= 1 and <= 256 && o.OutputLinesPerWorker is >= 10 and <= 1_000_000
                    && o.OutputLineMaxChars is >= 100 and <= 10_000_000 && o.StallAfter > TimeSpan.Zero
                    && o.StopGracePeriod >= TimeSpan.Zero && o.ScheduleInterval >= TimeSpan.FromMilliseconds(100)
                    && !string.IsNullOrWhiteSpace(o.ClaudePath),
                $"{WorkerOptions.SectionName}: MaxConcurrent must be 1-256, OutputLinesPerWorker 10-1000000, OutputLineMaxChars 100-10000000, StallAfter positive, StopGracePeriod not negative, ScheduleInterval at least 00:00:00.1 and ClaudePath set.")
            .ValidateOnStart();

        // Started in this order and stopped in reverse: migrate, open the writer, load presence; on the way down
        // the flusher saves last-seen times while the writer still runs, then the writer drains its queue.
        services.AddHostedService<DatabaseStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<SqliteDurableWriter>());
        services.AddHostedService(sp => new PresenceStartup(sp.GetRequiredService<AgentService>(), ownsPresence));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<PresenceFlusher>(sp, ownsPresence));
        if (ownsPresence)
        {
            // One process runs the jobs (retries at their time, sweeps); a --stdio process leaves them to the server.
            services.AddCoordinationJobs();
            // Spawns and watches workers; stopped before the writer, so the workers it stops are settled durably.
            services.AddHostedService<WorkerScheduler>();
            // Messages to running workers go into their sessions.
            services.AddHostedService<VibeEnsemble.Infrastructure.Messages.WorkerMessageRelay>();
            services.AddHostedService<VibeEnsemble.Infrastructure.Knowledge.KnowledgeIntroductions>();
            // The event stream's log; one process writes it.
            services.AddSingleton<EventLog>();
            services.AddHostedService(sp => sp.GetRequiredService<EventLog>());
        }
        return builder;
    }
}
