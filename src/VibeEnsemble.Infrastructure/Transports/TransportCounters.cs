namespace VibeEnsemble.Infrastructure.Transports;

/// <summary>Process-wide counts of what the transports had to do to protect the server, for <c>/api/stats</c>.</summary>
public static class TransportCounters
{
    private static long s_stalledClients;

    /// <summary>WebSocket clients given up on (and closed with 1008) because they stopped reading their replies.</summary>
    public static long StalledClients => Interlocked.Read(ref s_stalledClients);

    internal static void ClientStalled() => Interlocked.Increment(ref s_stalledClients);
}
