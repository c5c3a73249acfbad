using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Agents;

[JsonConverter(typeof(JsonStringEnumConverter<AgentStatus>))]
public enum AgentStatus
{
    Offline = 0,
    Online = 1,
    Busy = 2,

    /// <summary>Still connected, but no request or heartbeat for a while: shown so, and offline if it lasts.</summary>
    Stale = 3,
}
