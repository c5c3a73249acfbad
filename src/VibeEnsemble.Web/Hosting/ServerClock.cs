namespace VibeEnsemble.Web.Hosting;

/// <summary>Which version this server is and when its process started, for health and uptime reporting.</summary>
public sealed class ServerClock(TimeProvider time)
{
    public static string Version { get; } =
        typeof(ServerClock).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public TimeSpan Uptime => time.GetUtcNow() - StartedAt;
}
