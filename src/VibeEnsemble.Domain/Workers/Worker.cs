using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Workers;

/// <summary>A worker process the server spawned (headless Claude Code) and looks after.</summary>
public sealed class Worker
{
    private Worker()
    {
    }

    public Guid Id { get; private set; }

    public Guid? TaskId { get; private set; }

    public Guid? AgentId { get; private set; }

    public string Command { get; private set; } = "";

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public string WorkingDirectory { get; private set; } = "";

    public int? ProcessId { get; private set; }

    public WorkerState State { get; private set; }

    public int? ExitCode { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? ExitedAt { get; private set; }

    public static Worker Create(
        string command, IEnumerable<string> arguments, string workingDirectory, Guid? taskId, DateTimeOffset now) =>
        new()
        {
            Id = Guid.CreateVersion7(now),
            Command = Guard.Required(command, "command", 1_000),
            Arguments = [.. arguments],
            WorkingDirectory = Guard.Required(workingDirectory, "workingDirectory", 4_000),
            TaskId = taskId,
            State = WorkerState.Starting,
            CreatedAt = now,
        };
}
