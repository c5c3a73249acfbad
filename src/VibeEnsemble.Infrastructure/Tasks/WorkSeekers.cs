using System.Collections.Concurrent;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// The connected agents that take work: those that asked for a task (<c>get_next_task</c>) within the lease. A
/// ready task one of them can do is left for it rather than given to a new worker. Agents that never ask (a
/// coordinator, a person's own session) never hold a task back, whatever capabilities they declared.
/// </summary>
public sealed class WorkSeekers(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastAsked = new();

    public void Asked(Guid agentId) => _lastAsked[agentId] = time.GetUtcNow();

    public bool AskedSince(Guid agentId, DateTimeOffset since) => _lastAsked.TryGetValue(agentId, out var at) && at >= since;

    public void Forget(Guid agentId) => _lastAsked.TryRemove(agentId, out _);
}
