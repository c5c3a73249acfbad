using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VibeEnsemble.Domain.Knowledge;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

/// <summary>
/// Commands that use EF Core on the writer's connection (the way task and message commands will): they share the
/// batch's transaction, and one that breaks a constraint fails alone without leaving tracked entities behind.
/// </summary>
public sealed class WriterEfCoreTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private SqliteDurableWriter _writer = null!;
    private string _path = null!;

    public async ValueTask InitializeAsync()
    {
        _path = _data.File("ef-writer.db");
        await using (var db = TestDatabase.Open(_path))
        {
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        }

        _writer = TestStore.CreateWriter(_path);
        await _writer.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact]
    public async Task EfCommands_OneBreaksAForeignKey_ItFailsAloneAndTheOthersAreStoredOnce()
    {
        // Arrange: the first command holds the writer so the rest share the next batch.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var gate = _writer.ExecuteAsync(new AddEntry("gate", null, started, release), cancellationToken);
        Assert.True(started.Wait(TestConstants.DefaultTimeout, cancellationToken));
        var good = Enumerable.Range(0, 10)
            .Select(i => _writer.ExecuteAsync(new AddEntry($"entry-{i}", null), cancellationToken)).ToList();
        var orphan = _writer.ExecuteAsync(new AddEntry("orphan", authorId: Guid.CreateVersion7()), cancellationToken);
        good.Add(_writer.ExecuteAsync(new AddEntry("last", null), cancellationToken));

        // Act
        release.Set();
        await gate;
        await Task.WhenAll(good);

        // Assert
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => orphan);
        Assert.Equal(19, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode);
        await using var db = TestDatabase.Open(_path);
        var titles = await db.Knowledge.Select(k => k.Title).ToListAsync(cancellationToken);
        Assert.Equal(12, titles.Count);
        Assert.DoesNotContain("orphan", titles);
        Assert.Equal(titles.Count, titles.Distinct().Count());
    }

    [Fact]
    public async Task WriterContext_AsTheApplicationRegistersIt_SharesTheApplicationsModelAndUsesTheWritersConnection()
    {
        // Arrange: the services as the server registers them, over this test's database.
        var cancellationToken = TestContext.Current.CancellationToken;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[$"{StorageOptions.SectionName}:DataDirectory"] = _data.Path;
        builder.Configuration[$"{StorageOptions.SectionName}:DatabasePath"] = _path;
        builder.AddInfrastructure(ownsPresence: true);
        using var host = builder.Build();
        var writer = host.Services.GetRequiredService<SqliteDurableWriter>();
        await writer.StartAsync(cancellationToken);
        await using var application = await host.Services.GetRequiredService<IDbContextFactory<VibeEnsembleDbContext>>()
            .CreateDbContextAsync(cancellationToken);

        try
        {
            // Act
            var (model, connection, writerConnection) = await writer.ExecuteAsync(new ReadContext(), cancellationToken);

            // Assert: one model for the process (EF Core built a second one for options of the writer's own), and
            // the context works on the writer's connection, inside its transaction.
            Assert.Same(application.Model, model);
            Assert.Same(writerConnection, connection);
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    private sealed class ReadContext : IWriteCommand<(IModel, DbConnection, SqliteConnection)>
    {
        public (IModel, DbConnection, SqliteConnection) Execute(WriteContext context) =>
            (context.Db.Model, context.Db.Database.GetDbConnection(), context.Connection);
    }

    private sealed class AddEntry(
        string title, Guid? authorId, ManualResetEventSlim? started = null, ManualResetEventSlim? holdUntil = null)
        : IWriteCommand<Guid>
    {
        public Guid Execute(WriteContext context)
        {
            started?.Set();
            holdUntil?.Wait(TestConstants.DefaultTimeout);
            var entry = KnowledgeEntry.Create(title, "body", ["t"], KnowledgeCategory.Reference, authorId, "writer", null, DateTimeOffset.UnixEpoch);
            context.Db.Knowledge.Add(entry);
            context.Db.SaveChanges();
            return entry.Id;
        }
    }
}
