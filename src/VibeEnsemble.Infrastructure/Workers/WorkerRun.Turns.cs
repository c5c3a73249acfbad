namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// Turns written into a running worker's session after its prompt: Claude Code reads stream-json user turns from stdin
/// until we close it at its final result, so a message for the worker reaches the model mid-task without polling.
/// </summary>
public sealed partial class WorkerRun
{
    // Guards stdin: turns and the close at the result never interleave, and nothing is written after the close.
    private readonly SemaphoreSlim _input = new(1, 1);
    private WorkerProcess? _running;
    private bool _inputClosed;

    // True once the prompt is written (a message sent while the worker starts waits for it), false if it never starts.
    private readonly TaskCompletionSource<bool> _promptWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // User turns written and not yet answered by a result: the prompt, and every message told since. Claude Code answers
    // a turn queued during another one after it, with a result of its own.
    private int _openTurns;

    /// <summary>
    /// How long a session that has answered while a told turn is still open may stay silent before stdin is closed
    /// anyway (Claude Code may have folded that turn into the one it just answered).
    /// </summary>
    private static readonly TimeSpan QuietBeforeClose = TimeSpan.FromSeconds(5);

    /// <summary>The worker's own agent (online exactly while its process runs).</summary>
    public Guid AgentId { get; init; }

    /// <summary>Writes <paramref name="text"/> into the session as a user turn; false once the session has answered or ended.</summary>
    public async Task<bool> TellAsync(string text, CancellationToken cancellationToken)
    {
        if (!await _promptWritten.Task.WaitAsync(cancellationToken))
        {
            return false;
        }

        await _input.WaitAsync(cancellationToken);
        try
        {
            if (_running is not { } process || _inputClosed)
            {
                return false;
            }

            await process.Input.WriteLineAsync(LaunchPlan.UserTurnLine(text).AsMemory(), cancellationToken);
            await process.Input.FlushAsync(cancellationToken);
            _openTurns++;
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process has just gone: the message stays in its inbox.
            return false;
        }
        finally
        {
            _input.Release();
        }
    }

    private async Task WritePromptAsync(WorkerProcess process)
    {
        await _input.WaitAsync();
        try
        {
            // The prompt is the first user turn on a pipe (a regular file as stdin makes Claude Code exit silently).
            await process.Input.WriteLineAsync(_plan.PromptLine());
            await process.Input.FlushAsync();
            _running = process;
            _openTurns = 1;
            _promptWritten.TrySetResult(true);
        }
        finally
        {
            _input.Release();
        }
    }

    /// <summary>
    /// A result answers one open turn. Once none is left stdin is closed, or Claude Code would wait for another; with
    /// one still open it is closed only if the session then stays quiet.
    /// </summary>
    private async Task OnResultAsync(WorkerProcess process)
    {
        var answeredAt = _services.Time.GetUtcNow();
        await _input.WaitAsync();
        try
        {
            _openTurns = Math.Max(0, _openTurns - 1);
            if (_openTurns == 0)
            {
                Close(process);
                return;
            }
        }
        finally
        {
            _input.Release();
        }

        _ = CloseWhenQuietAsync(process, answeredAt);
    }

    private async Task CloseWhenQuietAsync(WorkerProcess process, DateTimeOffset answeredAt)
    {
        await Task.Delay(QuietBeforeClose, _services.Time);
        await _input.WaitAsync();
        try
        {
            if (LastOutputAt <= answeredAt)
            {
                Close(process);
            }
        }
        finally
        {
            _input.Release();
        }
    }

    /// <summary>The worker has ended (or never started): nothing more can be told.</summary>
    private void EndTurns() => _promptWritten.TrySetResult(false);

    private void Close(WorkerProcess process)
    {
        _inputClosed = true;
        process.CloseInput();
    }
}
