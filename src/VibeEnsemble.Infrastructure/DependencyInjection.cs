using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Stats;

namespace Microsoft.Extensions.DependencyInjection;

public static class InfrastructureDependencyInjection
{
    /// <summary>Storage, the application services and the in-process event bus.</summary>
    public static IHostApplicationBuilder AddInfrastructure(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<StorageOptions>, StorageOptionsSetup>();
        services.AddSingleton<IValidateOptions<StorageOptions>, ValidateStorageOptions>();

        services.AddDbContextFactory<VibeEnsembleDbContext>((sp, options) =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = storage.DatabasePath,
                ForeignKeys = true,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
            options.UseSqlite(connectionString);
        });

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CoordinationEventBus>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<AgentService>();
        services.AddSingleton<StatsService>();
        return builder;
    }
}
