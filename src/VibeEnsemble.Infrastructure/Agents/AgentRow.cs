using System.Text.Json;
using Microsoft.Data.Sqlite;
using VibeEnsemble.Infrastructure.Persistence;
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
    int Heartbeats,
    string Groups)
{
    private const string UpsertSql = """
        INSERT INTO Agents (Id, Name, Capabilities, Specializations, Groups, Status, ConnectionId, Transport,
            ClientName, RegisteredAt, LastSeenAt, Metrics_Connections, Metrics_Heartbeats, Metrics_TasksCompleted,
            Metrics_TasksFailed, Metrics_MessagesSent)
        VALUES ($id, $name, $capabilities, $specializations, $groups, $status, $connection, $transport, $client,
            $registered, $lastSeen, $connections, $heartbeats, 0, 0, 0)
        ON CONFLICT (Id) DO UPDATE SET
            Name = excluded.Name, Capabilities = excluded.Capabilities, Specializations = excluded.Specializations,
            Groups = excluded.Groups,
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
        agent.RegisteredAt.UtcTicks, agent.LastSeenAt.UtcTicks, agent.Metrics.Connections, agent.Metrics.Heartbeats,
        JsonSerializer.Serialize(agent.Groups));

    /// <summary>
    /// Every stored agent (presence at start, a row another process wrote). Agents are read with plain SQL: loading
    /// presence and taking in other processes' changes need no EF Core model, so a server nobody has looked at yet
    /// never builds one.
    /// </summary>
    public static Task<List<Agent>> ReadAllAsync(string databasePath, CancellationToken cancellationToken) =>
        ReadAsync(databasePath, "", cancellationToken);

    /// <summary>
    /// The stored agents a <c>--stdio</c> process registered last (their transport says so, online or not): the only
    /// rows another process writes, so the only ones the server must take in at every flush.
    /// </summary>
    public static Task<List<Agent>> ReadStdioAsync(string databasePath, CancellationToken cancellationToken) =>
        ReadAsync(databasePath, $"WHERE Transport = '{PresenceRegistry.StdioTransport}'", cancellationToken);

    private static async Task<List<Agent>> ReadAsync(string databasePath, string filter, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(SqliteConnections.ConnectionString(databasePath));
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT Id, Name, Capabilities, Specializations, Status, ConnectionId, Transport, ClientName, RegisteredAt,
                LastSeenAt, Metrics_Connections, Metrics_Heartbeats, Metrics_TasksCompleted, Metrics_TasksFailed,
                Metrics_MessagesSent, Groups
            FROM Agents {filter}
            """;
        var agents = new List<Agent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            agents.Add(Agent.Restore(
                Guid.Parse(reader.GetString(0)), reader.GetString(1),
                Labels(reader.GetString(2)), Labels(reader.GetString(3)),
                Enum.Parse<AgentStatus>(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                new DateTimeOffset(reader.GetInt64(8), TimeSpan.Zero), new DateTimeOffset(reader.GetInt64(9), TimeSpan.Zero),
                AgentMetrics.Restore(reader.GetInt32(10), reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14)),
                Labels(reader.GetString(15))));
        }

        return agents;
    }

    private static string[] Labels(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    /// <summary>EF Core's SQLite format for a Guid key.</summary>
    public static string StoredId(Guid id) => id.ToString("D").ToUpperInvariant();

    public void Upsert(WriteContext context)
    {
        context.Prepared(UpsertSql, "$id", "$name", "$capabilities", "$specializations", "$groups", "$status",
                "$connection", "$transport", "$client", "$registered", "$lastSeen", "$connections", "$heartbeats")
            .Bind(1, Id).Bind(2, Name).Bind(3, Capabilities).Bind(4, Specializations).Bind(5, Groups).Bind(6, Status)
            .Bind(7, ConnectionId).Bind(8, Transport).Bind(9, ClientName).Bind(10, RegisteredAt).Bind(11, LastSeenAt)
            .Bind(12, Connections).Bind(13, Heartbeats)
            .Execute();
    }

    public void UpdateLastSeen(WriteContext context)
    {
        context.Prepared(LastSeenSql, "$lastSeen", "$heartbeats", "$id")
            .Bind(1, LastSeenAt).Bind(2, Heartbeats).Bind(3, Id)
            .Execute();
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
