using System.Linq.Expressions;
using VibeEnsemble.Domain.Agents;

namespace VibeEnsemble.Infrastructure.Agents;

/// <summary>What the outside world sees of an agent: API replies, tool results and the dashboard.</summary>
public sealed record AgentSnapshot(
    Guid Id,
    string Name,
    IReadOnlyList<string> Capabilities,
    IReadOnlyList<string> Specializations,
    AgentStatus Status,
    string? Transport,
    string? ClientName,
    DateTimeOffset RegisteredAt,
    DateTimeOffset LastSeenAt,
    int Connections,
    int Heartbeats,
    IReadOnlyList<string> Groups)
{
    public static Expression<Func<Agent, AgentSnapshot>> Projection { get; } = a => new AgentSnapshot(
        a.Id, a.Name, a.Capabilities, a.Specializations, a.Status, a.Transport, a.ClientName,
        a.RegisteredAt, a.LastSeenAt, a.Metrics.Connections, a.Metrics.Heartbeats, a.Groups);

    private static readonly Func<Agent, AgentSnapshot> s_fromAgent = Projection.Compile();

    public static AgentSnapshot From(Agent agent) => s_fromAgent(agent);
}
