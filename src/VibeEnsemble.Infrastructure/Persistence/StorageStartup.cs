using Microsoft.Extensions.Hosting;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Infrastructure.Persistence;

/// <summary>Migrates the database before the writer opens it.</summary>
internal sealed class DatabaseStartup(DatabaseInitializer initializer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => initializer.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Loads presence into memory once the writer runs (it may have offline transitions to save).</summary>
internal sealed class PresenceStartup(AgentService agents, bool resetOnline) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => agents.LoadAsync(resetOnline, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
