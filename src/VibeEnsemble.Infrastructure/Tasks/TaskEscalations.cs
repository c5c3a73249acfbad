using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Issues;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Issues;
using VibeEnsemble.Infrastructure.Messages;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Tasks;

/// <summary>
/// What a task that fails for good leaves behind: an urgent message for its creator (or the person) and an issue
/// linked to it, added in the failing change's own transaction (a crash cannot lose them) and announced after it
/// commits.
/// </summary>
internal sealed class TaskEscalations
{
    /// <summary>Who the server's own messages are from.</summary>
    public const string Sender = "vibe-ensemble";

    private readonly List<(Message Message, Guid? Recipient)> _messages = [];
    private readonly List<Issue> _issues = [];

    public void Clear()
    {
        _messages.Clear();
        _issues.Clear();
    }

    public void Record(VibeEnsembleDbContext db, TaskEscalated escalation, DateTimeOffset now)
    {
        var task = escalation.Task;
        var draft = new MessageDraft(null, Sender, $"Task failed: {Inputs.Shorten(task.Title, 150)}",
            $"Task '{task.Title}' ({task.Id}) failed for good after {task.AttemptsUsed} attempt(s): {escalation.Reason}\n"
            + "retry_task puts it back in the queue; get_task shows every attempt.",
            MessageImportance.Urgent);
        var message = task.CreatedByAgentId is { } creator ? Message.ToAgent(draft, creator, now) : Message.ToHuman(draft, now);
        var issue = Issue.Open($"Task failed: {Inputs.Shorten(task.Title, 150)}",
            $"Task {task.Id} failed for good after {task.AttemptsUsed} attempt(s).\n\n{escalation.Reason}",
            task.Priority, null, now, ["task-failure"], task.CreatedByAgentId, task.Id);
        db.Messages.Add(message);
        db.Issues.Add(issue);
        _messages.Add((message, task.CreatedByAgentId));
        _issues.Add(issue);
    }

    public void Publish(CoordinationEventBus events, DateTimeOffset now)
    {
        foreach (var (message, recipient) in _messages)
        {
            events.Publish(new MessageSent(MessageService.Describe(message, recipient), recipient is { } id ? [id] : [], new HashSet<string>(), now));
        }

        foreach (var issue in _issues)
        {
            events.Publish(new IssueChanged(IssueSnapshot.From(issue), now));
        }
    }
}
