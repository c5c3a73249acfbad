using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Knowledge;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Projects;

namespace VibeEnsemble.Tests.Support;

/// <summary>
/// The storage stack as the server wires it (migrated file, running writer, presence, agent service), without a
/// host, for tests of the services themselves.
/// </summary>
internal sealed class TestStore : IAsyncDisposable
{
    private TestStore(string databasePath, SqliteDurableWriter writer, AgentService agents, PresenceRegistry presence)
    {
        DatabasePath = databasePath;
        Writer = writer;
        Agents = agents;
        Presence = presence;
    }

    public string DatabasePath { get; }

    public SqliteDurableWriter Writer { get; }

    public AgentService Agents { get; }

    public PresenceRegistry Presence { get; }

    /// <summary>A task service on this store's writer and file.</summary>
    public TaskService CreateTaskService(CoordinationEventBus events, TimeProvider time, TaskOptions? options = null) => new(
        Writer, Presence, TestDatabase.Factory(DatabasePath), Options.Create(new StorageOptions { DatabasePath = DatabasePath }),
        events, new ProjectService(Writer, TestDatabase.Factory(DatabasePath), time), new WorkSeekers(time),
        new KnowledgeService(Writer, TestDatabase.Factory(DatabasePath), Options.Create(new StorageOptions { DatabasePath = DatabasePath }),
            new ProjectService(Writer, TestDatabase.Factory(DatabasePath), time), events, time),
        Options.Create(options ?? new TaskOptions()), time,
        NullLogger<TaskService>.Instance);

    public static async Task<TestStore> OpenAsync(
        string databasePath, TimeProvider time, CoordinationEventBus events, CancellationToken cancellationToken)
    {
        await using (var db = TestDatabase.Open(databasePath))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        var writer = CreateWriter(databasePath);
        await writer.StartAsync(cancellationToken);
        var presence = new PresenceRegistry();
        var agents = new AgentService(presence, writer, Options.Create(new StorageOptions { DatabasePath = databasePath }), events, time,
            NullLogger<AgentService>.Instance);
        await agents.LoadAsync(resetOnline: true, cancellationToken);
        return new TestStore(databasePath, writer, agents, presence);
    }

    public static SqliteDurableWriter CreateWriter(string databasePath) => new(
        Options.Create(new StorageOptions { DatabasePath = databasePath }),
        Options.Create(new WriterOptions()),
        TestDatabase.Options(databasePath),
        NullLogger<SqliteDurableWriter>.Instance);

    public async ValueTask DisposeAsync()
    {
        await Writer.StopAsync(CancellationToken.None);
        Writer.Dispose();
    }
}
