namespace VibeEnsemble.Infrastructure.Persistence.Writing;

/// <summary>
/// The one way durable changes reach the database. Commands from every caller are queued and committed together
/// (group commit); each caller's task completes only once its command is committed, and a command that throws
/// fails alone without taking its batch with it. Kept small so that a PostgreSQL writer can stand in later.
/// </summary>
public interface IDurableWriter
{
    /// <summary>Queues <paramref name="command"/> and completes once it is committed (or has failed).</summary>
    /// <remarks>Waits for room when the queue is full: that wait is the backpressure callers feel.</remarks>
    Task<T> ExecuteAsync<T>(IWriteCommand<T> command, CancellationToken cancellationToken);

    /// <summary>
    /// Takes a place in the queue without filling it yet, for callers that must enqueue in the same order as they
    /// change their in-memory state: reserve (which may wait) outside the lock, enqueue inside it.
    /// </summary>
    ValueTask<WriteReservation> ReserveAsync(CancellationToken cancellationToken);
}

/// <summary>One durable change. <see cref="Execute"/> runs on the writer, inside the batch's transaction.</summary>
public interface IWriteCommand<out T>
{
    /// <summary>
    /// Applies the change. It may run more than once (a batch in which another command failed is replayed), so
    /// it touches the database only; anything else belongs in <see cref="OnCommitted"/>.
    /// </summary>
    T Execute(WriteContext context);

    /// <summary>
    /// Runs on the writer after the commit, in commit order and before any caller resumes: the place to publish
    /// events, so that subscribers see changes in the order they became durable.
    /// </summary>
    void OnCommitted()
    {
    }
}

/// <summary>A reserved place in the writer's queue; enqueue exactly one command, or dispose to give it back.</summary>
public struct WriteReservation : IDisposable
{
    private SqliteDurableWriter? _writer;

    internal WriteReservation(SqliteDurableWriter writer) => _writer = writer;

    public Task<T> Enqueue<T>(IWriteCommand<T> command)
    {
        var writer = _writer ?? throw new InvalidOperationException("This reservation was already used.");
        _writer = null;
        return writer.EnqueueReserved(command);
    }

    public void Dispose()
    {
        _writer?.Release();
        _writer = null;
    }
}
