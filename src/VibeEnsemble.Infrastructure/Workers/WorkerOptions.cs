namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>How spawned workers are started and watched. Bound from <c>VibeEnsemble:Workers</c>.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "VibeEnsemble:Workers";

    /// <summary>The agent CLI to run: a path, or a name looked up on PATH. Default <c>claude</c>.</summary>
    public string ClaudePath { get; set; } = "claude";

    /// <summary>At most this many workers run at once, whatever the project and profile limits. Default 4.</summary>
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>A worker that prints nothing for this long is shown as stalled (not stopped).</summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Between SIGTERM to a worker's process group and SIGKILL.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often ready tasks are looked at even when nothing signalled a change (the safety net).</summary>
    public TimeSpan ScheduleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Output lines kept per worker; later lines are counted, not stored.</summary>
    public int OutputLinesPerWorker { get; set; } = 5_000;

    /// <summary>Characters kept of one output line (one line can be megabytes); the rest is cut with a marker.</summary>
    public int OutputLineMaxChars { get; set; } = 32_000;

    /// <summary>
    /// Where the worker's MCP client reaches this server, e.g. <c>http://127.0.0.1:8081/mcp</c>. Set by the host from
    /// the agent port when left empty.
    /// </summary>
    public string? McpUrl { get; set; }

    /// <summary>
    /// Gives the server's access token, set by the host, so that a worker reaching <see cref="McpUrl"/> on a
    /// non-loopback address (or a server that requires it everywhere) can present it. Asked for at each spawn and
    /// written only into the worker's own 0600 MCP config.
    /// </summary>
    public Func<string?>? McpAccessToken { get; set; }

    /// <summary>
    /// Environment variables set for every worker over the server's own (e.g. <c>ANTHROPIC_BASE_URL</c>); an empty
    /// value removes the variable. Values are never logged.
    /// </summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);
}
