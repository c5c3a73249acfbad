using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Agents;

/// <summary>A Claude Code session (coordinator or worker) known to the server. Names are unique.</summary>
public sealed class Agent
{
    public const int NameMaxLength = 100;

    /// <summary>How many named groups one agent may belong to.</summary>
    public const int MaxGroups = 32;

    public const int GroupNameMaxLength = 100;

    private Agent()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public IReadOnlyList<string> Capabilities { get; private set; } = [];

    public IReadOnlyList<string> Specializations { get; private set; } = [];

    /// <summary>
    /// Named message groups the agent joined ("reviewers"): kept across reconnections until it leaves them, unlike
    /// capabilities, which each registration states afresh.
    /// </summary>
    public IReadOnlyList<string> Groups { get; private set; } = [];

    public AgentStatus Status { get; private set; }

    /// <summary>The live session, or null while the agent is offline.</summary>
    public string? ConnectionId { get; private set; }

    /// <summary>The transport of the last connection (kept when offline, for display).</summary>
    public string? Transport { get; private set; }

    public string? ClientName { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    public DateTimeOffset LastSeenAt { get; private set; }

    public AgentMetrics Metrics { get; private set; } = new();

    public static Agent Register(
        string name, IEnumerable<string>? capabilities, IEnumerable<string>? specializations,
        AgentConnection connection, DateTimeOffset now, IEnumerable<string>? groups = null)
    {
        var agent = new Agent
        {
            Id = Guid.CreateVersion7(now),
            Name = NormalizeName(name),
            RegisteredAt = now,
            Groups = GroupNames(groups),
        };
        agent.Connect(capabilities, specializations, connection, now);
        return agent;
    }

    public static string NormalizeGroup(string? group) => Guard.Required(group, "group", GroupNameMaxLength);

    /// <summary>Validates a list of group names: labels, at most <see cref="MaxGroups"/>.</summary>
    public static string[] GroupNames(IEnumerable<string>? groups) => Guard.Labels(groups, "groups", MaxGroups, GroupNameMaxLength);

    public static string NormalizeName(string? name) => Guard.Required(name, "name", NameMaxLength);

    /// <summary>Rebuilds an agent exactly as it was stored; no rule is applied, nothing is recorded.</summary>
    public static Agent Restore(
        Guid id, string name, IReadOnlyList<string> capabilities, IReadOnlyList<string> specializations,
        AgentStatus status, string? connectionId, string? transport, string? clientName,
        DateTimeOffset registeredAt, DateTimeOffset lastSeenAt, AgentMetrics metrics, IReadOnlyList<string>? groups = null) => new()
        {
            Id = id,
            Name = name,
            Capabilities = capabilities,
            Specializations = specializations,
            Groups = groups ?? [],
            Status = status,
            ConnectionId = connectionId,
            Transport = transport,
            ClientName = clientName,
            RegisteredAt = registeredAt,
            LastSeenAt = lastSeenAt,
            Metrics = metrics,
        };

    /// <summary>
    /// Brings a known agent back online on a new connection, replacing what it can do; its groups are replaced only
    /// when <paramref name="groups"/> is given.
    /// </summary>
    public void Reconnect(
        IEnumerable<string>? capabilities, IEnumerable<string>? specializations,
        AgentConnection connection, DateTimeOffset now, IEnumerable<string>? groups = null)
    {
        var named = groups is null ? Groups : GroupNames(groups);
        Connect(capabilities, specializations, connection, now);
        Groups = named;
    }

    /// <summary>Joins a named group; false if the agent was already in it.</summary>
    public bool Join(string group)
    {
        var name = NormalizeGroup(group);
        if (Groups.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Groups.Count >= MaxGroups)
        {
            throw new DomainException($"An agent may belong to at most {MaxGroups} groups; leave one first.");
        }

        Groups = [.. Groups, name];
        return true;
    }

    /// <summary>Leaves a named group; false if the agent was not in it.</summary>
    public bool Leave(string group)
    {
        var name = group?.Trim();
        var kept = Groups.Where(g => !string.Equals(g, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (kept.Length == Groups.Count)
        {
            return false;
        }

        Groups = kept;
        return true;
    }

    /// <summary>Whether a message to 'group:<paramref name="label"/>' reaches this agent.</summary>
    public bool IsIn(string label) =>
        Groups.Contains(label, StringComparer.OrdinalIgnoreCase)
        || Capabilities.Contains(label, StringComparer.OrdinalIgnoreCase)
        || Specializations.Contains(label, StringComparer.OrdinalIgnoreCase);

    /// <summary>Records a sign of life; an offline agent that beats again is back on the calling connection.</summary>
    public void Heartbeat(AgentConnection connection, DateTimeOffset now)
    {
        if (Status == AgentStatus.Offline)
        {
            Bind(connection);
            Status = AgentStatus.Online;
            Metrics.RecordConnection();
        }
        else if (Status == AgentStatus.Stale)
        {
            Status = AgentStatus.Online;
        }

        LastSeenAt = now;
        Metrics.RecordHeartbeat();
    }

    /// <summary>Any request of the agent's: alive. Returns true when that ends its staleness (a status change).</summary>
    public bool Seen(DateTimeOffset now)
    {
        LastSeenAt = now;
        if (Status != AgentStatus.Stale)
        {
            return false;
        }

        Status = AgentStatus.Online;
        return true;
    }

    /// <summary>Marks a connected agent that has given no sign of life for a while; false if it is not connected.</summary>
    public bool MarkStale()
    {
        if (Status is not (AgentStatus.Online or AgentStatus.Busy))
        {
            return false;
        }

        Status = AgentStatus.Stale;
        return true;
    }

    /// <summary>Takes the agent offline when its connection ends (or the server restarts).</summary>
    public void Disconnect(DateTimeOffset now)
    {
        Status = AgentStatus.Offline;
        ConnectionId = null;
        LastSeenAt = now;
    }

    private void Connect(
        IEnumerable<string>? capabilities, IEnumerable<string>? specializations,
        AgentConnection connection, DateTimeOffset now)
    {
        Capabilities = Guard.Labels(capabilities, "capabilities");
        Specializations = Guard.Labels(specializations, "specializations");
        Bind(connection);
        Status = AgentStatus.Online;
        LastSeenAt = now;
        Metrics.RecordConnection();
    }

    private void Bind(AgentConnection connection)
    {
        ConnectionId = connection.ConnectionId;
        Transport = connection.Transport;
        ClientName = connection.ClientName ?? ClientName;
    }
}
