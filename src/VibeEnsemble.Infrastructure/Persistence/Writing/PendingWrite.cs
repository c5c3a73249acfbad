namespace VibeEnsemble.Infrastructure.Persistence.Writing;

/// <summary>A queued command and the caller waiting for it.</summary>
internal abstract class PendingWrite
{
    public Exception? Failure { get; set; }

    public abstract void Execute(WriteContext context);

    public abstract void OnCommitted();

    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

internal sealed class PendingWrite<T>(IWriteCommand<T> command) : PendingWrite
{
    // Continuations run on the thread pool, never inline on the writer, so a slow caller cannot stall a batch.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;

    public Task<T> Task => _completion.Task;

    public override void Execute(WriteContext context) => _result = command.Execute(context);

    public override void OnCommitted() => command.OnCommitted();

    public override void Complete() => _completion.TrySetResult(_result);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
