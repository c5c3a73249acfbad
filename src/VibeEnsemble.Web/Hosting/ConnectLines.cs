using System.Net;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Web.Configuration;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// What a person needs to connect, printed once when the server is listening, in plain lines on standard output
/// (not among the log lines): the dashboard, each MCP transport, the exact <c>claude mcp add</c> command for the
/// recommended one, the data folder and the log files. When a token is required the command reads it from its file,
/// so the token itself is never printed.
/// </summary>
internal static class ConnectLines
{
    /// <summary>The agent endpoints' base URL as a client on this machine reaches them.</summary>
    public static string AgentUrl(ServerOptions server) => $"{(server.Https ? "https" : "http")}://{Host(server)}:{server.AgentPort}";

    /// <summary>Whether a client must present the access token (beyond loopback, or when required).</summary>
    public static bool NeedsToken(ServerOptions server) =>
        server.RequireToken || !(IPAddress.TryParse(server.BindAddress, out var address) && IPAddress.IsLoopback(address));

    private static string Host(ServerOptions server) =>
        server.BindAddress is "0.0.0.0" or "::" ? "127.0.0.1" : server.BindAddress.Contains(':') ? $"[{server.BindAddress}]" : server.BindAddress;

    public static IReadOnlyList<string> For(ServerOptions server, StorageOptions storage, string tokenFile)
    {
        var host = Host(server);
        var (http, ws) = server.Https ? ("https", "wss") : ("http", "ws");
        var agents = AgentUrl(server);
        var needsToken = NeedsToken(server);
        var header = needsToken ? $" --header \"Authorization: Bearer $(cat {tokenFile})\"" : "";
        (string Label, string Url, string Note)[] endpoints =
        [
            ("Dashboard", $"{http}://{host}:{server.DashboardPort}/", ""),
            ("MCP (recommended)", $"{agents}/mcp", "Streamable HTTP"),
            ("MCP", $"{ws}://{host}:{server.AgentPort}/mcp/ws", "WebSocket"),
            ("MCP", $"{agents}/sse", "legacy SSE"),
            ("Native API", $"{ws}://{host}:{server.AgentPort}/ws", "vibe/* JSON-RPC"),
        ];
        var width = endpoints.Max(e => e.Url.Length) + 2;
        return
        [
            "",
            "Vibe Ensemble is running.",
            .. endpoints.Select(e => $"  {e.Label,-19} {e.Url.PadRight(width)}{e.Note}".TrimEnd()),
            "",
            "  Connect Claude Code (run in your project; add ?role=coordinator for the session that plans):",
            $"    claude mcp add --transport http vibe-ensemble {agents}/mcp{header}",
            needsToken ? $"  Clients from other machines need the access token in {tokenFile}." : "  Only this machine can connect (loopback); no token is needed.",
            "",
            $"  Data    {storage.DataDirectory}",
            $"  Logs    {Path.Combine(storage.DataDirectory, "logs")}",
            "",
        ];
    }

    /// <summary>Prints the lines once the server has started listening.</summary>
    public static void PrintWhenStarted(WebApplication app)
    {
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() =>
        {
            var lines = For(app.Services.GetRequiredService<IOptions<ServerOptions>>().Value,
                app.Services.GetRequiredService<IOptions<StorageOptions>>().Value, app.Services.GetRequiredService<AccessTokens>().FilePath);
            Console.Out.Write(string.Join(Environment.NewLine, lines) + Environment.NewLine);
            Console.Out.Flush();
        });
    }
}
