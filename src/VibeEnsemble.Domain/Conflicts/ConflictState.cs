using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Conflicts;

[JsonConverter(typeof(JsonStringEnumConverter<ConflictState>))]
public enum ConflictState
{
    Open = 0,
    Resolved = 1,
    Dismissed = 2,
}
