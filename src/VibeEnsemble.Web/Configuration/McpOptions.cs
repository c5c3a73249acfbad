namespace VibeEnsemble.Web.Configuration;

/// <summary>MCP behaviour. Bound from <c>VibeEnsemble:Mcp</c>.</summary>
public sealed class McpOptions
{
    public const string SectionName = "VibeEnsemble:Mcp";

    /// <summary>
    /// Adds the fixture tools, resources and prompts the official MCP conformance suite calls
    /// (<c>test_simple_text</c>, <c>test://static-text</c>, ...). Off by default; <c>--conformance</c> turns it on.
    /// </summary>
    public bool ConformanceFixtures { get; set; }

    /// <summary>
    /// How long a Streamable HTTP session may sit without any request (or open GET stream) before it ends and its
    /// agents go offline. Default 30 minutes.
    /// </summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long after a Streamable HTTP session's event stream (its GET) closes, with no new request on the session,
    /// its agents go offline. Claude Code keeps that stream open and does not end its session when it exits, so the
    /// stream closing is the sign its process has gone. Default 10 seconds.
    /// </summary>
    public TimeSpan StreamGoneAfter { get; set; } = TimeSpan.FromSeconds(10);
}
