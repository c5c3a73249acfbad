using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Issues;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Issues;

public sealed record IssueSnapshot(
    Guid Id, string Title, string Body, Priority Priority, IssueState State, IReadOnlyList<string> Labels, Guid? AssigneeAgentId,
    Guid? ReporterAgentId, Guid? TaskId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static IssueSnapshot From(Issue i) =>
        new(i.Id, i.Title, i.Body, i.Priority, i.State, i.Labels, i.AssigneeAgentId, i.ReporterAgentId, i.TaskId, i.CreatedAt, i.UpdatedAt);
}

public sealed record IssueEntrySnapshot(Guid Id, IssueEntryKind Kind, string Author, string Body, DateTimeOffset CreatedAt)
{
    public static IssueEntrySnapshot From(IssueComment c) => new(c.Id, c.Kind, c.Author, c.Body, c.CreatedAt);
}

/// <summary>An issue with its history (comments and changes), oldest first.</summary>
public sealed record IssueDetails(IssueSnapshot Issue, IReadOnlyList<IssueEntrySnapshot> History);

/// <summary>An issue as callers open it; names for priority so that a wrong one gets a message.</summary>
public sealed record CreateIssueRequest(
    string? Title, string? Body = null, string? Priority = null, IReadOnlyList<string>? Labels = null, string? Assignee = null, string? TaskId = null);

/// <summary>What an update changes; omitted fields stay.</summary>
public sealed record UpdateIssueRequest(
    string? IssueId, string? Title = null, string? Body = null, string? Priority = null, string? State = null,
    IReadOnlyList<string>? Labels = null, string? Assignee = null);

/// <summary>An issue was opened or changed.</summary>
public sealed record IssueChanged(IssueSnapshot Issue, DateTimeOffset At) : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.Issue;
}

/// <summary>Reads issue ids, states and priorities as callers send them, with messages naming the field.</summary>
public static class IssueInputs
{
    public static Guid ParseId(string? value, string parameter = "issueId") =>
        Guid.TryParse(value?.Trim(), out var id) ? id
        : throw new DomainException(string.IsNullOrWhiteSpace(value)
            ? $"'{parameter}' is required: the issue's id as create_issue or list_issues returns it."
            : $"'{parameter}' must be an issue id; got '{(value.Length <= 60 ? value : value[..60] + "…")}'.");

    public static IssueState? ParseState(string? value) => Parse<IssueState>(value, "state", "Open, InProgress, Blocked, Resolved or Closed");

    public static Priority? ParsePriority(string? value) => Parse<Priority>(value, "priority", "Low, Normal, High or Critical");

    private static T? Parse<T>(string? value, string field, string expected)
        where T : struct, Enum =>
        string.IsNullOrWhiteSpace(value) ? null
        : Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !value.Trim().All(char.IsAsciiDigit) ? parsed
        : throw new DomainException($"'{field}' must be {expected}, not '{(value.Length <= 40 ? value : value[..40] + "…")}'.");
}
