using System.Text.Json.Serialization;

namespace VibeEnsemble.Domain.Issues;

[JsonConverter(typeof(JsonStringEnumConverter<IssueState>))]
public enum IssueState
{
    Open = 0,
    InProgress = 1,
    Resolved = 2,
    Closed = 3,

    /// <summary>Waiting on something outside the ensemble (a person, another team, an outage).</summary>
    Blocked = 4,
}
