using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>Reads the optional status filter every agent listing accepts ("online", "Busy", ...).</summary>
public static class AgentStatusFilter
{
    public static AgentStatus? Parse(string? status) =>
        string.IsNullOrWhiteSpace(status) ? null
        : Enum.TryParse<AgentStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
        : throw new DomainException($"Unknown status '{status}'; use Online, Busy, Stale or Offline.");
}
