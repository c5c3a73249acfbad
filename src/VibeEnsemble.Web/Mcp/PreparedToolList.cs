using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace VibeEnsemble.Web.Mcp;

/// <summary>
/// Answers <c>tools/list</c> with a reply serialized once per role. The SDK builds the result afresh for every call
/// and turns it into a <see cref="JsonNode"/> by serializing and parsing it (~30 KB for a person's session), which
/// measured ~70 % of the time spent in the handler; the registered tools never change after start, so each role's
/// reply is serialized and parsed once and only written after that. (A node that copies bytes as they are cannot be
/// had: the SDK writes nodes with its own source-generated contracts, which know no type of ours.)
/// </summary>
internal static class PreparedToolList
{
    // The first revision that carries per-request metadata (SEP-2575): the SDK adds its own server info to every result
    // object there, which a prepared reply would skip, so those sessions go through the SDK's handler.
    private const string FirstPerRequestMetadataRevision = "2026-07-28";

    // Per tool collection (one per server options), emptied when a tool is added or removed at run time (none are
    // today). Reading the collection itself takes its lock, which 32 connections listing at once contended for.
    private static readonly ConditionalWeakTable<McpServerPrimitiveCollection<McpServerTool>, ConcurrentDictionary<McpRole, JsonElement>> s_replies = new();

    /// <summary>The incoming message filter: a plain <c>tools/list</c> is answered here, anything else passes on.</summary>
    public static McpMessageHandler Filter(McpMessageHandler next) => async (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is not JsonRpcRequest { Method: RequestMethods.ToolsList } request
            || !FirstPage(request.Params)
            || !HandshakeRevision(context.Server.NegotiatedProtocolVersion)
            || !HandshakeRevision(request.Context?.ProtocolVersion)
            || context.Server.ServerOptions.ToolCollection is not { } tools)
        {
            await next(context, cancellationToken);
            return;
        }

        var role = context.Services!.GetRequiredService<McpSessionTracker>().RoleOf(context.Server);
        // A node of its own for each reply (nodes have a parent), over the shared element, which is written as it is
        // unless someone reads into the node.
        var reply = JsonObject.Create(For(role, tools));
        await context.Server.SendMessageAsync(new JsonRpcResponse { Id = request.Id, Result = reply }, cancellationToken);
    };

    /// <summary>The serialized <see cref="ListToolsResult"/> <paramref name="role"/> is offered.</summary>
    public static JsonElement For(McpRole role, McpServerPrimitiveCollection<McpServerTool> registered)
    {
        var replies = s_replies.GetValue(registered, collection =>
        {
            var byRole = new ConcurrentDictionary<McpRole, JsonElement>();
            collection.Changed += (_, _) => byRole.Clear();
            return byRole;
        });
        return replies.GetOrAdd(role, static (role, registered) =>
        {
            IList<Tool> offered = [.. registered.Select(t => t.ProtocolTool)];
            if (role != McpRole.Everything)
            {
                offered = SlimToolList.For(role, offered);
            }

            return JsonSerializer.SerializeToElement(new ListToolsResult { Tools = offered }, McpJsonUtilities.DefaultOptions);
        }, registered);
    }

    /// <summary>
    /// Only a plain first-page request is prepared; a cursor (the server never hands one out) goes to the SDK, which
    /// answers it as it always has. (Parameters that are not an object are refused earlier, by <see cref="InvalidParams"/>;
    /// they are passed on here too, so this filter holds whatever the order of the filters.)
    /// </summary>
    private static bool FirstPage(JsonNode? parameters) => parameters is null || parameters is JsonObject o && o["cursor"] is null;

    private static bool HandshakeRevision(string? revision) =>
        revision is null || string.CompareOrdinal(revision, FirstPerRequestMetadataRevision) < 0;
}
