using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Messages;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Tasks;
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
    public static JsonRpcMethods<VibeRpcConnection> Create(
        AgentService agents, TaskService tasks, AssignmentListeners listeners, MessageService messages) => new JsonRpcMethods<VibeRpcConnection>()
        .Add<RegisterAgentCommand, AgentSnapshot>("vibe/agent/register", async (request, connection, cancellationToken) =>
        {
            var agent = await agents.RegisterAsync(Required(request), connection.Agent, cancellationToken);
            // An agent coming back is pushed what was sent to it meanwhile; one on its first connection has nothing
            // waiting (messages are addressed to agents already known), so the lookup is spared.
            if (agent.Connections > 1)
            {
                await messages.PushQueuedAsync(agent, connection.Agent.ConnectionId, cancellationToken);
            }
            return agent;
        })
        .Add<ListAgentsRequest, IReadOnlyList<AgentSnapshot>>("vibe/agent/list",
            (request, _, cancellationToken) => agents.ListAsync(AgentStatusFilter.Parse(request?.Status), cancellationToken))
        .Add<HeartbeatRequest, AgentSnapshot>("vibe/agent/heartbeat",
            (request, connection, cancellationToken) => agents.HeartbeatAsync(Required(request).Name, connection.Agent, cancellationToken))
        .Add<GroupRequest, AgentSnapshot>("vibe/agent/group",
            (request, connection, cancellationToken) => agents.ChangeGroupAsync(connection.Agent, request?.Group, request?.Leave ?? false, cancellationToken))
        .Add<SubscribeRequest, SubscribeResult>("vibe/events/subscribe",
            (request, connection, _) => Task.FromResult(Subscribe(Required(request), connection, listeners)))
        .Add<CreateTaskRequest, TaskSnapshot>("vibe/task/create",
            (request, connection, cancellationToken) => tasks.CreateAsync(Required(request), agents.OptionalCaller(connection.Agent), cancellationToken))
        .Add<UpdateTaskParams, TaskSnapshot>("vibe/task/update",
            (request, _, cancellationToken) => tasks.UpdateAsync(TaskIds.Parse(request?.TaskId),
                new UpdateTaskRequest(request?.Title, request?.Description, request?.RequiredCapabilities, request?.Priority,
                    request?.DependsOn, request?.MaxAttempts), cancellationToken))
        .Add<TaskRequest, TaskDetails>("vibe/task/get",
            (request, _, cancellationToken) => tasks.GetAsync(TaskIds.Parse(request?.TaskId), cancellationToken))
        .Add<ListTasksRequest, IReadOnlyList<TaskSnapshot>>("vibe/task/list",
            (request, _, cancellationToken) => tasks.ListAsync(TaskIds.ParseStatus(request?.Status), request?.Limit, cancellationToken))
        .Add<NextTaskRequest, NextTaskResult>("vibe/task/next",
            (request, connection, cancellationToken) => tasks.ClaimNextAsync(agents.RequireCaller(connection.Agent), cancellationToken,
                request?.WaitSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null))
        .Add<TaskRequest, TaskSnapshot>("vibe/task/start",
            (request, connection, cancellationToken) => tasks.StartAsync(
                TaskIds.Parse(request?.TaskId), agents.RequireCaller(connection.Agent), cancellationToken))
        .Add<ProgressRequest, TaskSnapshot>("vibe/task/progress",
            (request, connection, cancellationToken) => tasks.ReportProgressAsync(
                TaskIds.Parse(request?.TaskId), agents.RequireCaller(connection.Agent), Required(request).Progress ?? "", cancellationToken))
        .Add<CompleteTaskRequest, TaskSnapshot>("vibe/task/complete",
            (request, connection, cancellationToken) => tasks.CompleteAsync(
                TaskIds.Parse(request?.TaskId), agents.RequireCaller(connection.Agent), request?.Result, cancellationToken))
        .Add<FailTaskRequest, TaskSnapshot>("vibe/task/fail",
            (request, connection, cancellationToken) => tasks.FailAsync(
                TaskIds.Parse(request?.TaskId), agents.RequireCaller(connection.Agent), Required(request).Reason ?? "",
                request?.Retryable ?? true, cancellationToken))
        .Add<CancelTaskRequest, TaskSnapshot>("vibe/task/cancel",
            (request, _, cancellationToken) => tasks.CancelAsync(TaskIds.Parse(request?.TaskId), request?.Reason, cancellationToken))
        .Add<TaskRequest, TaskSnapshot>("vibe/task/retry",
            (request, _, cancellationToken) => tasks.RetryAsync(TaskIds.Parse(request?.TaskId), cancellationToken));

    /// <summary>Chooses what this connection is pushed; <c>task.assign</c> also says it takes pushed work.</summary>
    private static SubscribeResult Subscribe(SubscribeRequest request, VibeRpcConnection connection, AssignmentListeners listeners)
    {
        var subscription = connection.Events;
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
        if ((kinds & EventKinds.TaskAssign) != 0)
        {
            listeners.Listen(connection.Agent.ConnectionId);
        }
        else
        {
            listeners.Stop(connection.Agent.ConnectionId);
        }

        return new SubscribeResult([.. EventKindNames.All.Where(n => EventKindNames.TryParse(n, out var k) && (kinds & k) != 0)]);
    }

    private static T Required<T>(T? request)
        where T : class =>
        request ?? throw new DomainException("This method needs named params, e.g. {\"name\": \"worker-1\"}.");
}

internal sealed record ListAgentsRequest(string? Status = null);

internal sealed record HeartbeatRequest(string Name);

internal sealed record GroupRequest(string? Group, bool? Leave = null);

internal sealed record SubscribeRequest(IReadOnlyList<string?>? Kinds);

internal sealed record NextTaskRequest(int? WaitSeconds = null);

internal sealed record TaskRequest(string? TaskId);

internal sealed record UpdateTaskParams(
    string? TaskId, string? Title = null, string? Description = null, IReadOnlyList<string>? RequiredCapabilities = null,
    string? Priority = null, IReadOnlyList<Guid>? DependsOn = null, int? MaxAttempts = null);

internal sealed record ListTasksRequest(string? Status = null, int? Limit = null);

internal sealed record ProgressRequest(string? TaskId, string? Progress);

internal sealed record CompleteTaskRequest(string? TaskId, string? Result = null);

internal sealed record FailTaskRequest(string? TaskId, string? Reason, bool? Retryable = null);

internal sealed record CancelTaskRequest(string? TaskId, string? Reason = null);

internal sealed record SubscribeResult(IReadOnlyList<string> Kinds);
