namespace VibeEnsemble.Web.Hosting;

/// <summary>The paths that belong to agents rather than to people.</summary>
internal static class AgentEndpoints
{
    public const string StreamableHttp = "/mcp";
    public const string McpWebSocket = "/mcp/ws";
    public const string LegacySse = "/sse";
    public const string LegacyMessage = "/message";
    public const string NativeRpc = "/ws";

    public static bool IsAgentPath(PathString path) =>
        path.StartsWithSegments(StreamableHttp) || path.StartsWithSegments(LegacySse)
        || path.StartsWithSegments(LegacyMessage) || path.StartsWithSegments(NativeRpc);
}
