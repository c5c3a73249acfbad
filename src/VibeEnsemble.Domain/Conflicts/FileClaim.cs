using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Conflicts;

/// <summary>An agent's declared intent to edit a file, used to warn others before they collide.</summary>
public sealed class FileClaim
{
    private FileClaim()
    {
    }

    public Guid Id { get; private set; }

    public Guid AgentId { get; private set; }

    public Guid? TaskId { get; private set; }

    public string Path { get; private set; } = "";

    public DateTimeOffset ClaimedAt { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    public static FileClaim Create(Guid agentId, Guid? taskId, string path, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        AgentId = agentId,
        TaskId = taskId,
        Path = Guard.Required(path, "path", 4_000),
        ClaimedAt = now,
    };

    public void Release(DateTimeOffset now) => ReleasedAt ??= now;
}
