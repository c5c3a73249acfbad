using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Conflicts;

/// <summary>
/// An advisory lease: an agent's declared intent to edit the files a path or glob names, in a project, exclusive or
/// shared, for a time. Others are told of it before they collide; an expired lease releases itself (it is simply no
/// longer active), and renewing moves its end.
/// </summary>
public sealed class FileClaim
{
    public const int PathMaxLength = 1_000;
    public const int ReasonMaxLength = 500;
    public static readonly TimeSpan MinimumTimeToLive = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumTimeToLive = TimeSpan.FromDays(1);

    private FileClaim()
    {
    }

    public Guid Id { get; private set; }

    public Guid AgentId { get; private set; }

    public Guid? TaskId { get; private set; }

    public Guid? ProjectId { get; private set; }

    /// <summary>A project-relative path or glob, normalised ('/' separators, no '.' or '..' segments).</summary>
    public string Path { get; private set; } = "";

    /// <summary>Exclusive leases overlap nothing; shared ones overlap only other shared ones.</summary>
    public bool Exclusive { get; private set; }

    public string? Reason { get; private set; }

    public DateTimeOffset ClaimedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? ReleasedAt { get; private set; }

    public static FileClaim Create(Guid agentId, Guid? taskId, string path, DateTimeOffset now) =>
        Reserve(agentId, taskId, null, path, exclusive: true, null, TimeSpan.FromHours(1), now);

    public static FileClaim Reserve(
        Guid agentId, Guid? taskId, Guid? projectId, string path, bool exclusive, string? reason, TimeSpan timeToLive, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(now),
            AgentId = agentId,
            TaskId = taskId,
            ProjectId = projectId,
            Path = Guard.Required(path, "paths", PathMaxLength),
            Exclusive = exclusive,
            Reason = Guard.Optional(reason, "reason", ReasonMaxLength),
            ClaimedAt = now,
            ExpiresAt = now + CheckedTimeToLive(timeToLive),
        };

    public bool IsActive(DateTimeOffset now) => ReleasedAt is null && ExpiresAt > now;

    /// <summary>Two leases get in each other's way when either is exclusive and they belong to different agents.</summary>
    public bool Excludes(FileClaim other) => AgentId != other.AgentId && (Exclusive || other.Exclusive);

    public void Renew(TimeSpan timeToLive, DateTimeOffset now)
    {
        if (!IsActive(now))
        {
            throw new DomainException($"The reservation of '{Path}' has {(ReleasedAt is null ? "expired" : "been released")}; reserve it again.");
        }

        ExpiresAt = now + CheckedTimeToLive(timeToLive);
    }

    public void Release(DateTimeOffset now) => ReleasedAt ??= now;

    private static TimeSpan CheckedTimeToLive(TimeSpan timeToLive) =>
        timeToLive >= MinimumTimeToLive && timeToLive <= MaximumTimeToLive ? timeToLive
        : throw new DomainException($"'ttlSeconds' must be between {MinimumTimeToLive.TotalSeconds:0} and {MaximumTimeToLive.TotalSeconds:0}.");
}
