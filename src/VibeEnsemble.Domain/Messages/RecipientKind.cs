using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Messages;

[JsonConverter(typeof(JsonStringEnumConverter<RecipientKind>))]
public enum RecipientKind
{
    Agent = 0,
    Group = 1,
    Broadcast = 2,
}
