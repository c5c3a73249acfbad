using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Conflicts;

/// <summary>Two claims on the same path by different agents.</summary>
public sealed class Conflict
{
    private Conflict()
    {
    }

    public Guid Id { get; private set; }

    public string Path { get; private set; } = "";

    public Guid FirstClaimId { get; private set; }

    public Guid SecondClaimId { get; private set; }

    public ConflictState State { get; private set; }

    public string? Resolution { get; private set; }

    public DateTimeOffset DetectedAt { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public static Conflict Between(FileClaim first, FileClaim second, DateTimeOffset now)
    {
        if (first.AgentId == second.AgentId)
        {
            throw new DomainException("An agent does not conflict with itself.");
        }

        return new Conflict
        {
            Id = Guid.CreateVersion7(now),
            Path = first.Path,
            FirstClaimId = first.Id,
            SecondClaimId = second.Id,
            State = ConflictState.Open,
            DetectedAt = now,
        };
    }
}
