using StreamJsonRpc;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;

namespace VibeEnsemble.Web.Rpc;

/// <summary>
/// The native <c>vibe/*</c> API of one connection; a thin adapter over the same services as the MCP tools.
/// Params are optional at the protocol level so that a missing one is answered by the service's own message.
/// </summary>
internal sealed class VibeRpcTarget(AgentService agents, AgentConnection connection)
{
    [JsonRpcMethod("vibe/agent/register", UseSingleObjectParameterDeserialization = true)]
    public Task<AgentSnapshot> RegisterAsync(RegisterAgentCommand? request = null, CancellationToken cancellationToken = default) =>
        agents.RegisterAsync(Required(request), connection, cancellationToken);

    [JsonRpcMethod("vibe/agent/list", UseSingleObjectParameterDeserialization = true)]
    public Task<IReadOnlyList<AgentSnapshot>> ListAsync(ListAgentsRequest? request = null, CancellationToken cancellationToken = default) =>
        agents.ListAsync(AgentStatusFilter.Parse(request?.Status), cancellationToken);

    [JsonRpcMethod("vibe/agent/heartbeat", UseSingleObjectParameterDeserialization = true)]
    public Task<AgentSnapshot> HeartbeatAsync(HeartbeatRequest? request = null, CancellationToken cancellationToken = default) =>
        agents.HeartbeatAsync(Required(request).Name, connection, cancellationToken);

    private static T Required<T>(T? request)
        where T : class =>
        request ?? throw new DomainException("This method needs named params, e.g. {\"name\": \"worker-1\"}.");
}

internal sealed record ListAgentsRequest(string? Status = null);

internal sealed record HeartbeatRequest(string Name);
