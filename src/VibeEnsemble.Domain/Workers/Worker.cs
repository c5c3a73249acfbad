using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Workers;

/// <summary>
/// A worker process the server spawned (headless Claude Code) for one attempt at one task, and looks after: its
/// process (PID and start time, to recognise it after a restart), its agent record and how it ended.
/// </summary>
public sealed class Worker
{
    public const int SummaryMaxLength = 4_000;

    private Worker()
    {
    }

    public Guid Id { get; private set; }

    public Guid? TaskId { get; private set; }

    /// <summary>The attempt this worker runs: its reports count only while that attempt is current.</summary>
    public Guid? AttemptId { get; private set; }

    /// <summary>The agent record the worker's MCP session acts as; online exactly while the process runs.</summary>
    public Guid? AgentId { get; private set; }

    public string ProfileName { get; private set; } = "";

    public string Command { get; private set; } = "";

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public string WorkingDirectory { get; private set; } = "";

    public int? ProcessId { get; private set; }

    /// <summary>When the operating system started the process; with the PID it tells our process from a reused PID.</summary>
    public DateTimeOffset? ProcessStartedAt { get; private set; }

    public WorkerState State { get; private set; }

    public int? ExitCode { get; private set; }

    /// <summary>How it ended, in words a person can act on; null while it runs.</summary>
    public string? Summary { get; private set; }

    /// <summary>What Claude Code reported the run cost, from its final result.</summary>
    public decimal? CostUsd { get; private set; }

    public int? Turns { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? ExitedAt { get; private set; }

    public bool IsOver => State is WorkerState.Exited or WorkerState.Failed or WorkerState.Stopped;

    public static Worker Create(
        Guid id, string profileName, string command, IEnumerable<string> arguments, string workingDirectory,
        Guid taskId, Guid attemptId, Guid agentId, DateTimeOffset now) =>
        new()
        {
            Id = id,
            ProfileName = Guard.Required(profileName, "profileName", 100),
            Command = Guard.Required(command, "command", 1_000),
            Arguments = [.. arguments],
            WorkingDirectory = Guard.Required(workingDirectory, "workingDirectory", 4_000),
            TaskId = taskId,
            AttemptId = attemptId,
            AgentId = agentId,
            State = WorkerState.Starting,
            CreatedAt = now,
        };

    public void Started(int processId, DateTimeOffset processStartedAt, DateTimeOffset now)
    {
        RequireState(WorkerState.Starting);
        ProcessId = processId;
        ProcessStartedAt = processStartedAt;
        State = WorkerState.Running;
        StartedAt = now;
    }

    /// <summary>Records the final result Claude Code printed (cost and turns are summed per task and profile).</summary>
    public void Reported(decimal? costUsd, int? turns)
    {
        CostUsd = costUsd;
        Turns = turns;
    }

    /// <summary>
    /// The process is gone (or never started): <see cref="WorkerState.Exited"/> when it ended by itself,
    /// <see cref="WorkerState.Stopped"/> when we stopped it, <see cref="WorkerState.Failed"/> when it could not run.
    /// </summary>
    public void Ended(WorkerState state, int? exitCode, string summary, DateTimeOffset now)
    {
        if (state is WorkerState.Starting or WorkerState.Running)
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "A worker ends Exited, Failed or Stopped.");
        }

        if (IsOver)
        {
            return;
        }

        State = state;
        ExitCode = exitCode;
        Summary = summary.Length <= SummaryMaxLength ? summary : summary[..SummaryMaxLength];
        ExitedAt = now;
    }

    private void RequireState(WorkerState expected)
    {
        if (State != expected)
        {
            throw new DomainException($"Worker {Id} is {State}, not {expected}.");
        }
    }
}
