using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Messages;

[JsonConverter(typeof(JsonStringEnumConverter<RecipientKind>))]
public enum RecipientKind
{
    Agent = 0,
    Group = 1,
    Broadcast = 2,

    /// <summary>The person running the server (the dashboard's inbox).</summary>
    Human = 3,
}

[JsonConverter(typeof(JsonStringEnumConverter<MessageImportance>))]
public enum MessageImportance
{
    Normal = 0,
    High = 1,
    Urgent = 2,
}
