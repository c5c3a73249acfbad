using System.Text.Json;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>
/// An agent's stored columns, captured from the in-memory agent at the moment it changed, and the SQL that saves
/// them. Written by hand rather than through EF Core because presence is the hottest write there is; the column
/// formats are EF Core's own (Guid as upper-case text, instants as UTC ticks, lists as JSON), which a test checks
/// by reading rows back through EF Core.
/// </summary>
internal sealed record AgentRow(
    string Id,
    string Name,
    string Capabilities,
    string Specializations,
    string Status,
    string? ConnectionId,
    string? Transport,
    string? ClientName,
    long RegisteredAt,
    long LastSeenAt,
    int Connections,
    int Heartbeats)
{
    private const string UpsertSql = """
        INSERT INTO Agents (Id, Name, Capabilities, Specializations, Status, ConnectionId, Transport, ClientName,
            RegisteredAt, LastSeenAt, Metrics_Connections, Metrics_Heartbeats, Metrics_TasksCompleted,
            Metrics_TasksFailed, Metrics_MessagesSent)
        VALUES ($id, $name, $capabilities, $specializations, $status, $connection, $transport, $client,
            $registered, $lastSeen, $connections, $heartbeats, 0, 0, 0)
        ON CONFLICT (Id) DO UPDATE SET
            Name = excluded.Name, Capabilities = excluded.Capabilities, Specializations = excluded.Specializations,
            Status = excluded.Status, ConnectionId = excluded.ConnectionId, Transport = excluded.Transport,
            ClientName = excluded.ClientName, LastSeenAt = excluded.LastSeenAt,
            Metrics_Connections = excluded.Metrics_Connections, Metrics_Heartbeats = excluded.Metrics_Heartbeats
        """;

    private const string LastSeenSql =
        "UPDATE Agents SET LastSeenAt = $lastSeen, Metrics_Heartbeats = $heartbeats WHERE Id = $id";

    public static AgentRow From(Agent agent) => new(
        StoredId(agent.Id), agent.Name,
        JsonSerializer.Serialize(agent.Capabilities), JsonSerializer.Serialize(agent.Specializations),
        agent.Status.ToString(), agent.ConnectionId, agent.Transport, agent.ClientName,
        agent.RegisteredAt.UtcTicks, agent.LastSeenAt.UtcTicks, agent.Metrics.Connections, agent.Metrics.Heartbeats);

    /// <summary>EF Core's SQLite format for a Guid key.</summary>
    public static string StoredId(Guid id) => id.ToString("D").ToUpperInvariant();

    public void Upsert(WriteContext context)
    {
        var command = context.Statement(UpsertSql);
        var p = command.Parameters;
        p.AddWithValue("$id", Id);
        p.AddWithValue("$name", Name);
        p.AddWithValue("$capabilities", Capabilities);
        p.AddWithValue("$specializations", Specializations);
        p.AddWithValue("$status", Status);
        p.AddWithValue("$connection", (object?)ConnectionId ?? DBNull.Value);
        p.AddWithValue("$transport", (object?)Transport ?? DBNull.Value);
        p.AddWithValue("$client", (object?)ClientName ?? DBNull.Value);
        p.AddWithValue("$registered", RegisteredAt);
        p.AddWithValue("$lastSeen", LastSeenAt);
        p.AddWithValue("$connections", Connections);
        p.AddWithValue("$heartbeats", Heartbeats);
        command.ExecuteNonQuery();
    }

    public void UpdateLastSeen(WriteContext context)
    {
        var command = context.Statement(LastSeenSql);
        command.Parameters.AddWithValue("$id", Id);
        command.Parameters.AddWithValue("$lastSeen", LastSeenAt);
        command.Parameters.AddWithValue("$heartbeats", Heartbeats);
        command.ExecuteNonQuery();
    }
}

/// <summary>Saves agents as captured, then runs <paramref name="onCommitted"/> (events) in commit order.</summary>
internal sealed class SaveAgentsCommand(IReadOnlyList<AgentRow> rows, Action? onCommitted = null) : IWriteCommand<int>
{
    public int Execute(WriteContext context)
    {
        foreach (var row in rows)
        {
            row.Upsert(context);
        }

        return rows.Count;
    }

    public void OnCommitted() => onCommitted?.Invoke();
}

/// <summary>The periodic flush of last-seen times and heartbeat counts, which are kept in memory between flushes.</summary>
internal sealed class FlushLastSeenCommand(IReadOnlyList<AgentRow> rows) : IWriteCommand<int>
{
    public int Execute(WriteContext context)
    {
        foreach (var row in rows)
        {
            row.UpdateLastSeen(context);
        }

        return rows.Count;
    }
}
