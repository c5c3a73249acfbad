using StreamJsonRpc;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Web.Rpc;

/// <summary>The native <c>vibe/*</c> API of one connection; a thin adapter over the same services as the MCP tools.</summary>
internal sealed class VibeRpcTarget(AgentService agents, AgentConnection connection)
{
    [JsonRpcMethod("vibe/agent/register", UseSingleObjectParameterDeserialization = true)]
    public Task<AgentSnapshot> RegisterAsync(RegisterAgentCommand? request, CancellationToken cancellationToken) =>
        agents.RegisterAsync(Required(request), connection, cancellationToken);

    [JsonRpcMethod("vibe/agent/list", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<AgentSnapshot>> ListAsync(ListAgentsRequest? request, CancellationToken cancellationToken) =>
        agents.ListAsync(AgentStatusFilter.Parse(request?.Status), cancellationToken);

    [JsonRpcMethod("vibe/agent/heartbeat", UseSingleObjectParameterDeserialization = true)]
    public Task<AgentSnapshot> HeartbeatAsync(HeartbeatRequest? request, CancellationToken cancellationToken) =>
        agents.HeartbeatAsync(Required(request).Name, connection, cancellationToken);

    private static T Required<T>(T? request)
        where T : class =>
        request ?? throw new DomainException("This method needs params; see the API reference in the README.");
}

internal sealed record ListAgentsRequest(string? Status = null);

internal sealed record HeartbeatRequest(string Name);
