using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Tasks;

[JsonConverter(typeof(JsonStringEnumConverter<AttemptOutcome>))]
public enum AttemptOutcome
{
    /// <summary>Not over yet.</summary>
    Running = 0,

    Succeeded = 1,

    /// <summary>The agent or worker reported failure, or the process ended without a result.</summary>
    Failed = 2,

    TimedOut = 3,

    /// <summary>The worker process died or could not start.</summary>
    Crashed = 4,

    /// <summary>Taken away from its agent: the lease lapsed, the agent went offline or the server restarted.</summary>
    Interrupted = 5,

    Cancelled = 6,
}
