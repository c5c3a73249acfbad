using VibeEnsemble.Domain.Agents;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>Who is online, answered from memory: list, find and count never touch the database.</summary>
public interface IPresenceRegistry
{
    AgentSnapshot? Find(string name);

    IReadOnlyList<AgentSnapshot> List(AgentStatus? status);

    PresenceCounts Count();

    /// <summary>The agent bound to a live connection, if any.</summary>
    AgentSnapshot? OnConnection(string connectionId);
}

public readonly record struct PresenceCounts(int Online, int Total);

/// <summary>
/// The in-memory copy of every agent. Changes happen under <see cref="Gate"/>, which
/// <see cref="AgentService"/> also holds while it queues the matching write, so the database receives changes
/// in the order memory saw them. Last-seen times are only marked dirty here and flushed in batches.
/// </summary>
public sealed class PresenceRegistry : IPresenceRegistry
{
    // NOCASE in SQLite folds ASCII only; folding more here can only merge names, never split one agent in two.
    private readonly Dictionary<string, Agent> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<Agent> _dirty = new(ReferenceEqualityComparer.Instance);

    // Agents not offline, so that listing or counting who is online costs what is online, not every agent ever known.
    private readonly HashSet<Agent> _present = new(ReferenceEqualityComparer.Instance);

    // Agents not offline by the connection they are bound to, and the key each is filed under, so that what a
    // connection holds is found in constant time: every request asks it (the caller, the liveness touch).
    private readonly Dictionary<string, Bound> _byConnection = new(StringComparer.Ordinal);
    private readonly Dictionary<Agent, string> _filedUnder = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Guid, Agent> _byId = [];

    // Sorted snapshots per status filter (index 0: all), valid while no agent changed since they were taken:
    // readers of an unchanged registry take no lock at all.
    private readonly ListCache?[] _lists = new ListCache?[Enum.GetValues<AgentStatus>().Length + 1];
    private long _version;

    internal Lock Gate { get; } = new();

    public AgentSnapshot? Find(string name)
    {
        lock (Gate)
        {
            return _byName.TryGetValue(name, out var agent) ? AgentSnapshot.From(agent) : null;
        }
    }

    public IReadOnlyList<AgentSnapshot> List(AgentStatus? status)
    {
        if (status is { } given && !Enum.IsDefined(given))
        {
            throw new ArgumentOutOfRangeException(nameof(status), given, "Not an agent status.");
        }

        var slot = status is { } wanted ? (int)wanted + 1 : 0;
        if (Volatile.Read(ref _lists[slot]) is { } cached && cached.Version == Volatile.Read(ref _version))
        {
            return cached.Agents;
        }

        List<AgentSnapshot> agents;
        long version;
        lock (Gate)
        {
            version = _version;
            var candidates = status is null or AgentStatus.Offline ? _byName.Values : (IReadOnlyCollection<Agent>)_present;
            agents = new List<AgentSnapshot>(candidates.Count);
            foreach (var agent in candidates)
            {
                if (status is null || agent.Status == status)
                {
                    agents.Add(AgentSnapshot.From(agent));
                }
            }
        }

        agents.Sort(static (x, y) => StringComparer.OrdinalIgnoreCase.Compare(x.Name, y.Name));
        var list = agents.ToArray();
        Volatile.Write(ref _lists[slot], new ListCache(version, list));
        return list;
    }

    public PresenceCounts Count()
    {
        lock (Gate)
        {
            return new PresenceCounts(_present.Count, _byName.Count);
        }
    }

    /// <summary>The agent registered on <paramref name="connectionId"/> and still online, if any.</summary>
    public AgentSnapshot? OnConnection(string connectionId)
    {
        lock (Gate)
        {
            return LatestOn(connectionId) is { } agent ? AgentSnapshot.From(agent) : null;
        }
    }

    /// <summary>The name of the agent with <paramref name="id"/>, if it is known.</summary>
    public string? NameOf(Guid id)
    {
        lock (Gate)
        {
            return _byId.GetValueOrDefault(id)?.Name;
        }
    }

    // The members below are called with Gate held.
    internal Agent? Get(string name) => _byName.GetValueOrDefault(name);

    internal void Put(Agent agent)
    {
        if (_byName.TryGetValue(agent.Name, out var replaced) && !ReferenceEquals(replaced, agent))
        {
            _present.Remove(replaced);
            _dirty.Remove(replaced);
            Unfile(replaced);
            _byId.Remove(replaced.Id);
        }

        _byName[agent.Name] = agent;
        _byId[agent.Id] = agent;
        Index(agent);
        Changed();
    }

    /// <summary>Keeps <paramref name="agent"/> in the online index exactly while it is not offline.</summary>
    private void Index(Agent agent)
    {
        if (agent.Status == AgentStatus.Offline)
        {
            _present.Remove(agent);
            Unfile(agent);
        }
        else
        {
            _present.Add(agent);
            File(agent);
        }
    }

    /// <summary>Files an agent that is not offline under the connection it now holds.</summary>
    private void File(Agent agent)
    {
        var connection = agent.ConnectionId;
        if (_filedUnder.TryGetValue(agent, out var filed))
        {
            if (filed == connection)
            {
                return;
            }

            Unfile(agent);
        }

        if (connection is null)
        {
            return;
        }

        if (_byConnection.TryGetValue(connection, out var bound))
        {
            bound.Agents.Add(agent);
            bound.Latest = agent;
        }
        else
        {
            _byConnection[connection] = new Bound(agent);
        }

        _filedUnder[agent] = connection;
    }

    private void Unfile(Agent agent)
    {
        if (!_filedUnder.Remove(agent, out var filed) || !_byConnection.TryGetValue(filed, out var bound))
        {
            return;
        }

        bound.Agents.Remove(agent);
        if (bound.Agents.Count == 0)
        {
            _byConnection.Remove(filed);
        }
        else if (ReferenceEquals(bound.Latest, agent))
        {
            // Rare (two agents on one connection, the later one leaving first): any of those left answers.
            foreach (var other in bound.Agents)
            {
                bound.Latest = other;
                break;
            }
        }
    }

    internal void Remove(Agent agent)
    {
        if (_byName.TryGetValue(agent.Name, out var known) && ReferenceEquals(known, agent))
        {
            _byName.Remove(agent.Name);
            _byId.Remove(agent.Id);
        }

        _dirty.Remove(agent);
        _present.Remove(agent);
        Unfile(agent);
        Changed();
    }

    internal List<Agent> BoundTo(string connectionId)
    {
        // Only agents not offline hold a connection.
        return _byConnection.TryGetValue(connectionId, out var bound) ? [.. bound.Agents] : [];
    }

    /// <summary>The agent that answers for <paramref name="connectionId"/>: the latest registered on it and not offline.</summary>
    internal Agent? LatestOn(string connectionId) =>
        _byConnection.TryGetValue(connectionId, out var bound) ? bound.Latest : null;

    internal IEnumerable<Agent> All => _byName.Values;

    /// <summary>Every agent not offline.</summary>
    internal IReadOnlyCollection<Agent> Present => _present;

    internal void MarkSeen(Agent agent)
    {
        _dirty.Add(agent);
        // A heartbeat may arrive on another connection than the one the agent registered on.
        Index(agent);
        Changed();
    }

    /// <summary>
    /// Connection ids of <c>--stdio</c> server processes start with this. Such a process shares the database file,
    /// and its word about the agents it serves is final (<see cref="AgentService.SyncForeignAsync"/>).
    /// </summary>
    public const string StdioConnectionPrefix = "stdio-";

    /// <summary>The transport such a process records for its agents; it stays on their rows when they go offline.</summary>
    public const string StdioTransport = "stdio";

    internal static bool IsStdio(string? connectionId) =>
        connectionId?.StartsWith(StdioConnectionPrefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// Called, with <see cref="Gate"/> held, after an agent changed in a way that is being saved now (its status
    /// included): nothing of it is left to flush, and it is indexed by its new status.
    /// </summary>
    internal void Saved(Agent agent)
    {
        _dirty.Remove(agent);
        Index(agent);
        Changed();
    }

    private void Changed() => Volatile.Write(ref _version, _version + 1);

    internal List<AgentRow> TakeDirty()
    {
        var rows = new List<AgentRow>(_dirty.Count);
        foreach (var agent in _dirty)
        {
            rows.Add(AgentRow.From(agent));
        }

        _dirty.Clear();
        return rows;
    }

    private sealed record ListCache(long Version, AgentSnapshot[] Agents);

    /// <summary>The agents a connection holds; the latest one registered answers for the connection.</summary>
    private sealed class Bound(Agent first)
    {
        public HashSet<Agent> Agents { get; } = new(ReferenceEqualityComparer.Instance) { first };

        public Agent Latest { get; set; } = first;
    }
}
