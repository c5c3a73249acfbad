using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Common;

[JsonConverter(typeof(JsonStringEnumConverter<Priority>))]
public enum Priority
{
    Low = 0,
    Normal = 1,
    High = 2,
    Critical = 3,
}
