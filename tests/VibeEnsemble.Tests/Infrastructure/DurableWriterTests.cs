using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure;

/// <summary>The batching writer on a real file: group commit, failures in isolation, order of after-commit hooks.</summary>
public sealed class DurableWriterTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private SqliteDurableWriter _writer = null!;
    private string _path = null!;

    public async ValueTask InitializeAsync()
    {
        _path = _data.File("writer.db");
        await using (var db = TestDatabase.Open(_path))
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Text TEXT NOT NULL UNIQUE)");
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
    public async Task Execute_FailingCommandsInOneBatch_FailAloneAndTheRestCommit()
    {
        // Arrange: a first command holds the writer, so everything queued meanwhile lands in the next batch.
        var cancellationToken = TestContext.Current.CancellationToken;
        var commitsBefore = _writer.Commits;
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var gate = _writer.ExecuteAsync(new Insert("gate", release, started: started), cancellationToken);
        Assert.True(started.Wait(TestConstants.DefaultTimeout, cancellationToken));
        var batch = new List<Task<int>>();
        for (var i = 0; i < 20; i++)
        {
            batch.Add(_writer.ExecuteAsync(new Insert($"note-{i}"), cancellationToken));
        }

        var duplicate = _writer.ExecuteAsync(new Insert("note-3"), cancellationToken);
        var throwing = _writer.ExecuteAsync(new Throwing(), cancellationToken);
        batch.Add(_writer.ExecuteAsync(new Insert("after-the-failures"), cancellationToken));

        // Act
        release.Set();
        await gate;
        await Task.WhenAll(batch);

        // Assert
        var constraint = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(19, constraint.SqliteErrorCode);
        Assert.Equal("Refused on purpose.", (await Assert.ThrowsAsync<InvalidOperationException>(() => throwing)).Message);
        Assert.Equal(22, await CountAsync());
        Assert.Equal(commitsBefore + 2, _writer.Commits);
    }

    [Theory]
    [InlineData("INSERT INTO Notes (Text) VALUES ($text)", "$other")]
    [InlineData("INSERT INTO Notes (Id, Text) VALUES ($id, $text)", "$text", "$id")]
    [InlineData("INSERT INTO Notes (Text) VALUES ('a'); INSERT INTO Notes (Text) VALUES ('b')")]
    public async Task Prepared_ParametersNotAsNamedOrTwoStatements_RefusedAndTheWriterGoesOn(string sql, params string[] names)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;

        // Act
        var refused = _writer.ExecuteAsync(new Prepare(sql, names), cancellationToken);
        var after = _writer.ExecuteAsync(new Insert("after"), cancellationToken);

        // Assert: positions bound to the wrong names would store values in the wrong columns.
        await Assert.ThrowsAsync<ArgumentException>(() => refused);
        Assert.Equal(1, await after);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task Prepared_BoundGuid_StoredAsEfCoreStoresAGuid()
    {
        // Arrange: hex letters in every group, so lower case anywhere would show.
        var cancellationToken = TestContext.Current.CancellationToken;
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        // Act
        await _writer.ExecuteAsync(new InsertId(id), cancellationToken);
        await _writer.ExecuteAsync(new InsertId(null), cancellationToken);

        // Assert: EF Core compares a Guid key with its upper-case text, so any other spelling would never be found.
        await using var connection = new SqliteConnection($"Data Source={_path}");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Text FROM Notes WHERE Text <> '(null)'";
        Assert.Equal("0F8FAD5B-D9CB-469F-A165-70867728950E", await command.ExecuteScalarAsync(cancellationToken));
        command.CommandText = "SELECT COUNT(*) FROM Notes WHERE Text = '(null)'";
        Assert.Equal(1L, await command.ExecuteScalarAsync(cancellationToken));
    }

    [Fact]
    public async Task Prepared_ExecuteInsert_ReturnsEachRowsStoredId_AndThrowsForARefusedRow()
    {
        // Arrange: ids from 41 on, so a count or a constant could not pass for them.
        var cancellationToken = TestContext.Current.CancellationToken;
        await _writer.ExecuteAsync(new Prepare("INSERT INTO Notes (Id, Text) VALUES (40, 'seed')"), cancellationToken);

        // Act
        var ids = await _writer.ExecuteAsync(new InsertReturningIds("first", "second"), cancellationToken);
        var refused = await Assert.ThrowsAsync<SqliteException>(
            () => _writer.ExecuteAsync(new InsertReturningIds("third", "first"), cancellationToken));

        // Assert
        Assert.Equal([41L, 42L], ids);
        Assert.Equal(41L, await IdOfAsync("first"));
        Assert.Equal(42L, await IdOfAsync("second"));
        Assert.Equal(19, refused.SqliteErrorCode); // SQLITE_CONSTRAINT: UNIQUE on Text
        Assert.Null(await IdOfAsync("third"));
    }

    [Fact]
    public async Task Execute_ThousandWritesFrom32Callers_AllCommittedInFarFewerTransactions()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var commitsBefore = _writer.Commits;

        // Act
        await Task.WhenAll(Enumerable.Range(0, 32).Select(caller => Task.Run(async () =>
        {
            for (var i = caller; i < 1_000; i += 32)
            {
                Assert.Equal(1, await _writer.ExecuteAsync(new Insert($"n{i}"), cancellationToken));
            }
        }, cancellationToken)));

        // Assert
        Assert.Equal(1_000, await CountAsync());
        Assert.InRange(_writer.Commits - commitsBefore, 1, 999);
    }

    [Fact]
    public async Task OnCommitted_RunsInCommitOrderBeforeCallersResume()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        var seen = new List<string>();

        // Act
        var writes = Enumerable.Range(0, 200)
            .Select(i => _writer.ExecuteAsync(new Insert($"o{i}", onCommitted: () => seen.Add($"o{i}")), cancellationToken))
            .ToList();
        await Task.WhenAll(writes);

        // Assert
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"o{i}"), seen);
    }

    [Fact]
    public async Task Execute_AfterStop_FailsWithAClearMessage()
    {
        // Arrange
        await _writer.StopAsync(TestContext.Current.CancellationToken);

        // Act
        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            _writer.ExecuteAsync(new Insert("late"), TestContext.Current.CancellationToken));

        // Assert
        Assert.Contains("shutting down", error.Message);
    }

    private async Task<long> CountAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_path}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Notes";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private async Task<long?> IdOfAsync(string text)
    {
        await using var connection = new SqliteConnection($"Data Source={_path}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Notes WHERE Text = $text";
        command.Parameters.AddWithValue("$text", text);
        return (long?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    private sealed class InsertReturningIds(params string[] texts) : IWriteCommand<long[]>
    {
        public long[] Execute(WriteContext context) =>
            [.. texts.Select(text => context.Prepared("INSERT INTO Notes (Text) VALUES ($text)", "$text").Bind(1, text).ExecuteInsert())];
    }

    private sealed class Insert(
        string text, ManualResetEventSlim? holdUntil = null, Action? onCommitted = null, ManualResetEventSlim? started = null)
        : IWriteCommand<int>
    {
        public int Execute(WriteContext context)
        {
            started?.Set();
            holdUntil?.Wait(TestConstants.DefaultTimeout);
            return context.Prepared("INSERT INTO Notes (Text) VALUES ($text)", "$text").Bind(1, text).Execute();
        }

        public void OnCommitted() => onCommitted?.Invoke();
    }

    // A null id is stored as NULL, which the NOT NULL column would refuse: COALESCE makes it visible instead.
    private sealed class InsertId(Guid? id) : IWriteCommand<int>
    {
        public int Execute(WriteContext context) =>
            context.Prepared("INSERT INTO Notes (Text) VALUES (COALESCE($id, '(null)'))", "$id").Bind(1, id).Execute();
    }

    private sealed class Prepare(string sql, params string[] parameterNames) : IWriteCommand<int>
    {
        public int Execute(WriteContext context) => context.Prepared(sql, parameterNames).Execute();
    }

    private sealed class Throwing : IWriteCommand<int>
    {
        public int Execute(WriteContext context) => throw new InvalidOperationException("Refused on purpose.");
    }
}
