using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Tasks;

/// <summary>
/// A report (progress, result, failure) from an attempt that is no longer the task's current one: a worker that
/// was timed out, or an agent whose lease lapsed. It is refused, never applied.
/// </summary>
public sealed class StaleAttemptException(string taskTitle, Guid attemptId, int? currentAttempt)
    : DomainException(currentAttempt is { } current
        ? $"This report belongs to an earlier attempt at task '{taskTitle}' (attempt {attemptId}); attempt {current} has taken over, so it was not applied."
        : $"This report belongs to an attempt at task '{taskTitle}' (attempt {attemptId}) that has ended, so it was not applied.")
{
    public Guid AttemptId { get; } = attemptId;
}
