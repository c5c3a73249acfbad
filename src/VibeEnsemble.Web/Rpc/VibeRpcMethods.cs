using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;

namespace VibeEnsemble.Web.Rpc;

/// <summary>What a <c>vibe/*</c> method knows about the connection that called it.</summary>
internal sealed record VibeRpcConnection(AgentConnection Agent, EventSubscription Events);

/// <summary>
/// The native <c>vibe/*</c> API: thin adapters over the same services as the MCP tools, built once per process.
/// Params are optional at the protocol level so that a missing one is answered by the service's own message.
/// </summary>
internal static class VibeRpcMethods
{
    public static JsonRpcMethods<VibeRpcConnection> Create(AgentService agents) => new JsonRpcMethods<VibeRpcConnection>()
        .Add<RegisterAgentCommand, AgentSnapshot>("vibe/agent/register",
            (request, connection, cancellationToken) => agents.RegisterAsync(Required(request), connection.Agent, cancellationToken))
        .Add<ListAgentsRequest, IReadOnlyList<AgentSnapshot>>("vibe/agent/list",
            (request, _, cancellationToken) => agents.ListAsync(AgentStatusFilter.Parse(request?.Status), cancellationToken))
        .Add<HeartbeatRequest, AgentSnapshot>("vibe/agent/heartbeat",
            (request, connection, cancellationToken) => agents.HeartbeatAsync(Required(request).Name, connection.Agent, cancellationToken))
        .Add<SubscribeRequest, SubscribeResult>("vibe/events/subscribe",
            (request, connection, _) => Task.FromResult(Subscribe(Required(request), connection.Events)));

    private static SubscribeResult Subscribe(SubscribeRequest request, EventSubscription subscription)
    {
        var kinds = EventKinds.None;
        foreach (var name in request.Kinds ?? throw new DomainException(
            $"'kinds' is required: a list of event kinds ({string.Join(", ", EventKindNames.All)}); [] for none."))
        {
            if (!EventKindNames.TryParse(name ?? "", out var kind))
            {
                throw new DomainException($"Unknown event kind '{name}'; known kinds: {string.Join(", ", EventKindNames.All)}.");
            }

            kinds |= kind;
        }

        subscription.Kinds = kinds;
        return new SubscribeResult([.. EventKindNames.All.Where(n => EventKindNames.TryParse(n, out var k) && (kinds & k) != 0)]);
    }

    private static T Required<T>(T? request)
        where T : class =>
        request ?? throw new DomainException("This method needs named params, e.g. {\"name\": \"worker-1\"}.");
}

internal sealed record ListAgentsRequest(string? Status = null);

internal sealed record HeartbeatRequest(string Name);

internal sealed record SubscribeRequest(IReadOnlyList<string?>? Kinds);

internal sealed record SubscribeResult(IReadOnlyList<string> Kinds);
