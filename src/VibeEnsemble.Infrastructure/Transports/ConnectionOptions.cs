namespace VibeEnsemble.Infrastructure.Transports;

/// <summary>Limits on agent connections. Bound from <c>VibeEnsemble:Connections</c>.</summary>
public sealed class ConnectionOptions
{
    public const string SectionName = "VibeEnsemble:Connections";

    /// <summary>
    /// How long a reply may wait for a WebSocket client to take it. A client that reads nothing for this long is
    /// disconnected (its socket aborted: no close frame can reach a client that does not read), so that it holds
    /// neither memory nor a connection. Default 30 seconds.
    /// </summary>
    public TimeSpan SendStallTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
