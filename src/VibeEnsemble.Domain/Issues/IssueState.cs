using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Issues;

[JsonConverter(typeof(JsonStringEnumConverter<IssueState>))]
public enum IssueState
{
    Open = 0,
    InProgress = 1,
    Resolved = 2,
    Closed = 3,
}
