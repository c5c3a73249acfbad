using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>Reads a worker id as callers write it, refusing anything else with a message naming the parameter.</summary>
public static class WorkerIds
{
    public static Guid Parse(string? value) =>
        Guid.TryParse(value?.Trim(), out var id) ? id
        : throw new DomainException(string.IsNullOrWhiteSpace(value)
            ? "'workerId' is required: a worker's id as list_workers returns it."
            : "'workerId' must be a worker id as list_workers returns it.");
}
