using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VibeEnsemble.Infrastructure.Persistence.Writing;

/// <summary>
/// The single SQLite writer. One dedicated thread drains the queue and commits everything it finds in one
/// <c>BEGIN IMMEDIATE</c> transaction; should a command throw, the batch is replayed with a savepoint around each
/// command, so that a failing command is rolled back alone. With <c>synchronous=FULL</c> a commit is on disk before anyone is told it happened; batching pays
/// that fsync once for the whole batch instead of once per command (ADR-005).
/// </summary>
public sealed partial class SqliteDurableWriter : IDurableWriter, IHostedService, IDisposable
{
    private readonly Channel<PendingWrite> _queue =
        Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });

    private readonly SemaphoreSlim _room;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IOptions<StorageOptions> _storage;
    private readonly WriterOptions _options;
    private readonly ILogger<SqliteDurableWriter> _logger;
    private readonly DbContextOptions<VibeEnsembleDbContext> _efOptions;
    private long _commits;

    public SqliteDurableWriter(
        IOptions<StorageOptions> storage,
        IOptions<WriterOptions> options,
        DbContextOptions<VibeEnsembleDbContext> efOptions,
        ILogger<SqliteDurableWriter> logger)
    {
        _efOptions = efOptions;
        _storage = storage;
        _options = options.Value;
        _logger = logger;
        _room = new SemaphoreSlim(_options.QueueCapacity, _options.QueueCapacity);
    }

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public async Task<T> ExecuteAsync<T>(IWriteCommand<T> command, CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        return await EnqueueReserved(command);
    }

    public async ValueTask<WriteReservation> ReserveAsync(CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        return new WriteReservation(this);
    }

    internal Task<T> EnqueueReserved<T>(IWriteCommand<T> command)
    {
        var pending = new PendingWrite<T>(command);
        if (!_queue.Writer.TryWrite(pending))
        {
            Release();
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteDurableWriter),
                "The server is shutting down; the change was not saved."));
        }

        return pending.Task;
    }

    internal void Release() => _room.Release();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = SqliteConnections.OpenWriter(_storage.Value.DatabasePath);
        var thread = new Thread(() => Run(connection))
        {
            IsBackground = true,
            Name = "vibe-db-writer",
        };
        thread.Start();
        return Task.CompletedTask;
    }

    /// <summary>Stops taking commands, commits every one already queued, then closes the connection.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _room.Dispose();
    }

    private void Run(SqliteConnection connection)
    {
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        try
        {
            using (connection)
            using (var context = new WriteContext(connection, _efOptions))
            {
                var reader = _queue.Reader;
                // A blocking wait is right here: this thread exists only to write.
                while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var pending))
                    {
                        batch.Add(pending);
                    }

                    CommitBatch(context, batch);
                    _room.Release(batch.Count);
                    batch.Clear();
                }
            }
        }
        catch (Exception ex)
        {
            LogWriterFailed(_logger, ex);
            foreach (var pending in batch)
            {
                pending.Fail(ex);
            }

            FailQueued(ex);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void CommitBatch(WriteContext context, List<PendingWrite> batch)
    {
        var transactionCommitted = false;
        try
        {
            // Optimistic first: no savepoints. Should a command throw, the whole transaction is rolled back and
            // the batch replayed with a savepoint around each command, so that only the failing one is dropped.
            transactionCommitted = TryCommit(context, batch, isolated: false) || TryCommit(context, batch, isolated: true);
        }
        catch (Exception ex)
        {
            // The transaction itself failed (disk full, I/O error, another process holding the lock past the
            // busy timeout): nothing of this batch is stored, so nobody in it may be told otherwise.
            LogBatchFailed(_logger, batch.Count, ex);
            foreach (var pending in batch)
            {
                pending.Failure ??= ex;
            }
        }

        foreach (var pending in batch)
        {
            if (pending.Failure is { } failure)
            {
                pending.Fail(failure);
                continue;
            }

            try
            {
                pending.OnCommitted();
            }
            catch (Exception ex)
            {
                // The change is durable; a failing observer must not turn it into an error for the caller.
                LogObserverFailed(_logger, ex);
            }

            pending.Complete();
        }

        if (transactionCommitted)
        {
            Interlocked.Increment(ref _commits);
        }
    }

    /// <summary>Runs the batch in one transaction; false when a command failed and nothing was committed.</summary>
    private static bool TryCommit(WriteContext context, List<PendingWrite> batch, bool isolated)
    {
        using var transaction = context.Connection.BeginTransaction(deferred: false);
        context.Transaction = transaction;
        try
        {
            foreach (var pending in batch)
            {
                pending.Failure = null;
                if (isolated)
                {
                    ExecuteInSavepoint(context, pending);
                }
                else if (!TryExecute(context, pending))
                {
                    transaction.Rollback();
                    return false;
                }
            }

            transaction.Commit();
            return true;
        }
        finally
        {
            context.AfterBatch();
        }
    }

    private static bool TryExecute(WriteContext context, PendingWrite pending)
    {
        try
        {
            pending.Execute(context);
            return true;
        }
        catch (Exception ex) when (!IsStorageFailure(ex))
        {
            pending.Failure = ex;
            return false;
        }
        finally
        {
            context.AfterCommand();
        }
    }

    private static void ExecuteInSavepoint(WriteContext context, PendingWrite pending)
    {
        context.Prepared("SAVEPOINT command").Execute();
        try
        {
            pending.Execute(context);
            context.Prepared("RELEASE command").Execute();
        }
        catch (Exception ex) when (!IsStorageFailure(ex))
        {
            pending.Failure = ex;
            context.Prepared("ROLLBACK TO command").Execute();
            context.Prepared("RELEASE command").Execute();
        }
        finally
        {
            context.AfterCommand();
        }
    }

    /// <summary>The disk, not the command, is at fault: the whole batch fails.</summary>
    private static bool IsStorageFailure(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_IOERR or SQLitePCL.raw.SQLITE_FULL or SQLitePCL.raw.SQLITE_BUSY };

    private void FailQueued(Exception exception)
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var pending))
        {
            pending.Fail(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The database writer stopped; no further changes can be saved.")]
    private static partial void LogWriterFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} changes could not be committed; each caller was told.")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "An after-commit observer failed; the change itself is saved.")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception);
}
