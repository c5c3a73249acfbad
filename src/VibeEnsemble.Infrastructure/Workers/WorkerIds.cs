using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>Reads a worker id as callers write it, refusing anything else with a message naming the parameter.</summary>
public static class WorkerIds
{
    public static Guid Parse(string? value) => Inputs.Id(value, "workerId", "a worker id", "a worker's id as list_workers returns it");
}
