using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Agents;

[JsonConverter(typeof(JsonStringEnumConverter<AgentStatus>))]
public enum AgentStatus
{
    Offline = 0,
    Online = 1,
    Busy = 2,
}
