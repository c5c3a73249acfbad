using Microsoft.Extensions.Logging;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence.Writing;
using VibeEnsemble.Infrastructure.Workers.Output;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>The services every <see cref="WorkerRun"/> shares.</summary>
internal sealed record WorkerRunServices(
    IDurableWriter Writer, CoordinationEventBus Events, AgentService Agents, WorkerRegistry Registry,
    WorkerOptions Options, TimeProvider Time, ILogger Logger, string OutputDirectory, Conflicts.ReservationService Reservations);

/// <summary>
/// Watches one spawned worker from start to settlement: feeds it the prompt, reads and stores its output as it
/// arrives, enforces the timeout, stops it on request, then decides how the attempt ended and settles it. Nothing it
/// does waits on a Hangfire job: it lives exactly as long as the process.
/// </summary>
public sealed partial class WorkerRun
{
    private readonly WorkerRunServices _services;
    private readonly LaunchPlan _plan;
    private readonly string _configDirectory;
    private readonly WorktreeLease? _worktree;
    private readonly TimeSpan _timeout;
    private readonly Func<int, TimeSpan> _backoff;
    private readonly CancellationTokenSource _stop = new();
    private readonly WorkerOutputSink _sink;
    private readonly Queue<string> _stderrTail = new();
    private StreamJsonEvent? _result;
    private string? _assistantError;
    private string? _stopReason;
    private bool _stopRetryable;

    internal WorkerRun(
        WorkerRunServices services, Guid workerId, string token, string connectionId, Guid taskId, Guid attemptId, int attemptNumber,
        string profileName, Guid projectId, LaunchPlan plan, string configDirectory, WorktreeLease? worktree, TimeSpan timeout,
        Func<int, TimeSpan> backoff)
    {
        _services = services;
        WorkerId = workerId;
        Token = token;
        ConnectionId = connectionId;
        TaskId = taskId;
        AttemptId = attemptId;
        AttemptNumber = attemptNumber;
        ProfileName = profileName;
        ProjectId = projectId;
        _plan = plan;
        _configDirectory = configDirectory;
        _worktree = worktree;
        _sink = new WorkerOutputSink(services, workerId);
        _timeout = timeout;
        _backoff = backoff;
        LastOutputAt = services.Time.GetUtcNow();
    }

    public Guid WorkerId { get; }

    public string Token { get; }

    /// <summary>The connection id the worker's agent is bound to (never its HTTP session: that outlives the process).</summary>
    public string ConnectionId { get; }

    public Guid TaskId { get; }

    public Guid AttemptId { get; }

    public int AttemptNumber { get; }

    public string ProfileName { get; }

    public Guid ProjectId { get; }

    /// <summary>Where the worker runs: the project's directory or the task's worktree.</summary>
    public string WorkingDirectory => _plan.WorkingDirectory;

    /// <summary>The task's worktree, branch and base commit, when it runs in one (the conflict scan reads it).</summary>
    internal WorktreeLease? Worktree => _worktree;

    public DateTimeOffset LastOutputAt { get; private set; }

    public bool Stalled { get; internal set; }

    /// <summary>Completes once the worker has been settled and cleaned up.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    internal void Start(string? startFailure) => Completion = Task.Run(() => RunAsync(startFailure));

    /// <summary>
    /// Stops the worker's process group; the attempt is settled as interrupted with <paramref name="reason"/>, and
    /// tried again later only when <paramref name="retryable"/> (a shutdown, not a person's decision).
    /// </summary>
    public void Stop(string reason, bool retryable = false)
    {
        if (Interlocked.CompareExchange(ref _stopReason, reason, null) is null)
        {
            _stopRetryable = retryable;
        }

        _stop.Cancel();
    }

    private async Task RunAsync(string? startFailure)
    {
        var time = _services.Time;
        WorkerProcess? process = null;
        var timedOut = false;
        int? exitCode = null;
        var state = WorkerState.Exited;
        var pump = _sink.RunAsync();
        try
        {
            if (startFailure is null)
            {
                try
                {
                    process = WorkerProcess.Start(_plan);
                }
                catch (WorkerStartException ex)
                {
                    startFailure = ex.Message;
                }
            }

            if (process is null)
            {
                state = WorkerState.Failed;
            }
            else
            {
                (timedOut, exitCode, state) = await WatchAsync(process);
            }
        }
        catch (Exception ex)
        {
            LogWatchFailed(_services.Logger, ex, WorkerId);
            startFailure ??= $"the server lost track of the worker: {ex.Message}";
            state = WorkerState.Failed;
            if (process is not null)
            {
                await process.StopAsync(TimeSpan.Zero);
            }
        }
        finally
        {
            EndTurns();
            _sink.Complete();
            await pump;
            process?.Dispose();
        }

        // Before the attempt is settled, so that a task released by this one finds the work on the branch.
        var artifacts = _worktree is { } lease
            ? await GitWorktrees.FinishAsync(lease.ProjectDirectory, lease.Path, lease.Branch, lease.BaseCommit, lease.CommitMessage, CancellationToken.None)
            : null;
        await SettleAsync(artifacts, new WorkerVerdict.Observed(exitCode, _result, _assistantError, timedOut, _stopReason, startFailure,
            string.Join('\n', _stderrTail), _stopRetryable), state, exitCode, time.GetUtcNow());
    }

    private async Task<(bool TimedOut, int? ExitCode, WorkerState State)> WatchAsync(WorkerProcess process)
    {
        var time = _services.Time;
        await _services.Writer.ExecuteAsync(new ChangeWorkerCommand(WorkerId,
            w => w.Started(process.Id, process.StartTime, time.GetUtcNow()), _services.Events), CancellationToken.None);
        LogStarted(_services.Logger, WorkerId, process.Id, TaskId);

        await WritePromptAsync(process);
        var stdout = ReadAsync(process.Output, OutputStream.StandardOutput, process);
        var stderr = ReadAsync(process.Errors, OutputStream.StandardError, process);

        using var deadline = new CancellationTokenSource(_timeout, time);
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _stop.Token);
        var timedOut = false;
        using var tracking = new PeriodicTimer(TimeSpan.FromSeconds(2), time);
        var tracker = TrackAsync(process, tracking, watch.Token);
        try
        {
            await process.WaitForExitAsync(watch.Token);
        }
        catch (OperationCanceledException) when (watch.IsCancellationRequested)
        {
            timedOut = !_stop.IsCancellationRequested;
            LogStopping(_services.Logger, WorkerId, timedOut ? "timeout" : _stopReason ?? "stop");
            await process.StopAsync(_services.Options.StopGracePeriod);
        }

        // Whatever the worker left behind (a background shell holding our pipes) goes with it.
        tracking.Dispose();
        await tracker;
        await process.StopAsync(TimeSpan.Zero);
        await process.WaitForExitAsync(CancellationToken.None);
        await Task.WhenAll(stdout, stderr);
        var stopped = timedOut || _stop.IsCancellationRequested;
        return (timedOut, process.ExitCode, stopped ? WorkerState.Stopped : WorkerState.Exited);
    }

    /// <summary>Keeps the list of the worker's child processes current until it exits.</summary>
    private static async Task TrackAsync(WorkerProcess process, PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            do
            {
                process.TrackDescendants();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReadAsync(StreamReader reader, OutputStream stream, WorkerProcess process)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            LastOutputAt = _services.Time.GetUtcNow();
            Stalled = false;
            if (stream == OutputStream.StandardOutput)
            {
                var parsed = StreamJsonEvent.Parse(line);
                _assistantError = parsed.Kind == StreamJsonKind.AssistantText || parsed.Kind == StreamJsonKind.ToolUse
                    ? parsed.AssistantError ?? _assistantError
                    : _assistantError;
                if (parsed.Kind == StreamJsonKind.Result)
                {
                    _result = parsed;
                    await OnResultAsync(process);
                }
            }
            else
            {
                _stderrTail.Enqueue(line.Length <= 500 ? line : line[..500]);
                if (_stderrTail.Count > 10)
                {
                    _stderrTail.Dequeue();
                }
            }

            await _sink.StoreAsync(stream, line);
        }
    }

    private async Task SettleAsync(WorktreeOutcome? artifacts, WorkerVerdict.Observed seen, WorkerState state, int? exitCode, DateTimeOffset now)
    {
        var verdict = WorkerVerdict.Decide(seen, now);
        var delay = _backoff(AttemptNumber + 1);
        var retryAt = now + (delay * Random.Shared.NextDouble());
        try
        {
            var result = _result is { } r ? new StreamJsonResult(r.CostUsd, r.Turns, r.PermissionDenials, r.DeniedTools) : null;
            await _services.Writer.ExecuteAsync(
                new SettleWorkerCommand(WorkerId, verdict, state, exitCode, result, retryAt, artifacts, _services.Events, _services.Time), CancellationToken.None);
            LogSettled(_services.Logger, WorkerId, TaskId, verdict.Succeeded ? "completed" : verdict.Reason);
        }
        catch (Exception ex)
        {
            // Start-up recovery settles it from the row after a restart; the sweep's lease does it before that.
            LogSettleFailed(_services.Logger, ex, WorkerId);
        }
        finally
        {
            _services.Registry.Remove(this);
            await ReleaseReservationsAsync();
            await _services.Agents.DisconnectAsync(ConnectionId, CancellationToken.None);
            TryDelete(_configDirectory);
        }
    }

    /// <summary>What the worker reserved (its task's paths, and anything it reserved itself) goes with it.</summary>
    private async Task ReleaseReservationsAsync()
    {
        try
        {
            await _services.Reservations.ReleaseAllOfAsync(AgentId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Leases expire by themselves; a failed release only delays that.
            LogSettleFailed(_services.Logger, ex, WorkerId);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} started as process {ProcessId} for task {TaskId}.")]
    private static partial void LogStarted(ILogger logger, Guid workerId, int processId, Guid taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping worker {WorkerId}: {Reason}.")]
    private static partial void LogStopping(ILogger logger, Guid workerId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} for task {TaskId} ended: {Outcome}.")]
    private static partial void LogSettled(ILogger logger, Guid workerId, Guid taskId, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Lost track of worker {WorkerId}; stopping it.")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, Guid workerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not settle worker {WorkerId}; start-up recovery will.")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, Guid workerId);
}
