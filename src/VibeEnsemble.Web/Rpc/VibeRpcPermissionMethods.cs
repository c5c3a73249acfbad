using System.Text.Json;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Transports.JsonRpc;

namespace VibeEnsemble.Web.Rpc;

/// <summary>
/// <c>vibe/permission/*</c>: the twins of the MCP permission tools, over the same broker. A /ws client hears new
/// requests as <c>vibe/permission/requested</c> (event kind <c>permission.requested</c>, on by default).
/// </summary>
internal static class VibeRpcPermissionMethods
{
    public static JsonRpcMethods<VibeRpcConnection> AddPermissionMethods(
        this JsonRpcMethods<VibeRpcConnection> methods, PermissionBroker broker, PermissionCallers callers, AgentService agents) => methods
        .Add<ListPermissionRequestsRequest, IReadOnlyList<PermissionRequestSnapshot>>("vibe/permission/list",
            (request, _, cancellationToken) => broker.ListAsync(
                PermissionIds.ParseState(request?.State) ?? Domain.Permissions.PermissionState.Pending,
                request?.TaskId is { } taskId ? TaskIds.Parse(taskId) : null, request?.Limit, cancellationToken))
        .Add<DecidePermissionRequest, PermissionRequestSnapshot>("vibe/permission/decide",
            (request, connection, cancellationToken) => broker.DecideAsync(
                PermissionIds.Parse(request?.RequestId),
                new PermissionDecision(request?.Approve ?? throw new Domain.Common.DomainException("'approve' is required: true or false."),
                    request.Message, request.UpdatedInput, request.Remember ?? false, request.RememberScope),
                agents.OptionalCaller(connection.Agent)?.Name ?? "vibe client", cancellationToken))
        .Add<AskPermissionRequest, PermissionVerdict>("vibe/permission/ask",
            async (request, connection, cancellationToken) => await broker.RequestAsync(
                await callers.ForAsync(null, agents.OptionalCaller(connection.Agent), cancellationToken),
                request?.ToolName ?? "", request?.Input ?? default, cancellationToken));
}

internal sealed record ListPermissionRequestsRequest(string? State = null, string? TaskId = null, int? Limit = null);

internal sealed record DecidePermissionRequest(
    string? RequestId, bool? Approve, string? Message = null, JsonElement? UpdatedInput = null, bool? Remember = null, string? RememberScope = null);

internal sealed record AskPermissionRequest(string? ToolName, JsonElement? Input = null);
