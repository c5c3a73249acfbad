using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Tasks;

[JsonConverter(typeof(JsonStringEnumConverter<AttemptOutcome>))]
public enum AttemptOutcome
{
    Running = 0,
    Succeeded = 1,
    Failed = 2,
    TimedOut = 3,
    Cancelled = 4,
}
