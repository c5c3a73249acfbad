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
        Inputs.Id(value, parameter, "an issue id", "the issue's id as create_issue or list_issues returns it");

    public static IssueState? ParseState(string? value) => Inputs.Enum<IssueState>(value, "state", "Open, InProgress, Blocked, Resolved or Closed");

    public static Priority? ParsePriority(string? value) => Inputs.Enum<Priority>(value, "priority", "Low, Normal, High or Critical");
}
