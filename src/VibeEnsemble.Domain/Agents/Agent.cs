using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Agents;

/// <summary>A Claude Code session (coordinator or worker) known to the server. Names are unique.</summary>
public sealed class Agent
{
    public const int NameMaxLength = 100;

    private Agent()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    public IReadOnlyList<string> Capabilities { get; private set; } = [];

    public IReadOnlyList<string> Specializations { get; private set; } = [];

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
        AgentConnection connection, DateTimeOffset now)
    {
        var agent = new Agent
        {
            Id = Guid.CreateVersion7(now),
            Name = NormalizeName(name),
            RegisteredAt = now,
        };
        agent.Connect(capabilities, specializations, connection, now);
        return agent;
    }

    public static string NormalizeName(string? name) => Guard.Required(name, "name", NameMaxLength);

    /// <summary>Rebuilds an agent exactly as it was stored; no rule is applied, nothing is recorded.</summary>
    public static Agent Restore(
        Guid id, string name, IReadOnlyList<string> capabilities, IReadOnlyList<string> specializations,
        AgentStatus status, string? connectionId, string? transport, string? clientName,
        DateTimeOffset registeredAt, DateTimeOffset lastSeenAt, AgentMetrics metrics) => new()
        {
            Id = id,
            Name = name,
            Capabilities = capabilities,
            Specializations = specializations,
            Status = status,
            ConnectionId = connectionId,
            Transport = transport,
            ClientName = clientName,
            RegisteredAt = registeredAt,
            LastSeenAt = lastSeenAt,
            Metrics = metrics,
        };

    /// <summary>Brings a known agent back online on a new connection, replacing what it can do.</summary>
    public void Reconnect(
        IEnumerable<string>? capabilities, IEnumerable<string>? specializations,
        AgentConnection connection, DateTimeOffset now) =>
        Connect(capabilities, specializations, connection, now);

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
