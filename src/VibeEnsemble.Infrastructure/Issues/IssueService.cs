using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Issues;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Issues;

/// <summary>
/// Issues: opened, listed (filtered, newest change first), read with their history, changed (every change kept as a
/// history entry naming who made it), commented and closed. MCP tools, <c>vibe/issue/*</c> and the HTTP API share it.
/// </summary>
public sealed class IssueService(
    IPresenceRegistry presence, IDurableWriter writer, IDbContextFactory<VibeEnsembleDbContext> dbFactory, CoordinationEventBus events,
    TimeProvider time)
{
    public const int MaxListed = 500;

    public Task<IssueSnapshot> CreateAsync(CreateIssueRequest request, AgentSnapshot? reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var assignee = Assignee(request.Assignee);
        Guid? taskId = string.IsNullOrWhiteSpace(request.TaskId) ? null : Tasks.TaskIds.Parse(request.TaskId);
        var issue = Issue.Open(request.Title ?? "", request.Body, IssueInputs.ParsePriority(request.Priority) ?? Priority.Normal,
            reporter?.Id, time.GetUtcNow(), request.Labels, assignee?.Id, taskId);
        return writer.ExecuteAsync(new IssueCommand(db =>
        {
            if (taskId is { } id && !db.Tasks.Any(t => t.Id == id))
            {
                throw new EntityNotFoundException("Task", id.ToString());
            }

            db.Issues.Add(issue);
            return issue;
        }, events, time), cancellationToken);
    }

    public Task<IssueSnapshot> UpdateAsync(UpdateIssueRequest request, AgentSnapshot? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = IssueInputs.ParseId(request.IssueId);
        var assignee = Assignee(request.Assignee);
        var change = new IssueChange(request.Title, request.Body, IssueInputs.ParsePriority(request.Priority), IssueInputs.ParseState(request.State),
            request.Labels, assignee?.Id, assignee?.Name);
        return ChangeAsync(id, issue => issue.Change(change, by?.Id, by?.Name ?? Message.Human, time.GetUtcNow()), cancellationToken);
    }

    public Task<IssueSnapshot> CommentAsync(Guid issueId, string? body, AgentSnapshot? by, CancellationToken cancellationToken) =>
        ChangeAsync(issueId, issue => issue.Comment(by?.Id, by?.Name ?? Message.Human, body ?? "", time.GetUtcNow()), cancellationToken);

    /// <summary>Closes the issue, with the reason as a comment when one is given.</summary>
    public Task<IssueSnapshot> CloseAsync(Guid issueId, string? reason, AgentSnapshot? by, CancellationToken cancellationToken) =>
        ChangeAsync(issueId, issue =>
        {
            var now = time.GetUtcNow();
            if (!string.IsNullOrWhiteSpace(reason))
            {
                issue.Comment(by?.Id, by?.Name ?? Message.Human, reason, now);
            }

            issue.Change(new IssueChange(State: IssueState.Closed), by?.Id, by?.Name ?? Message.Human, now);
        }, cancellationToken);

    public async Task<IReadOnlyList<IssueSnapshot>> ListAsync(
        IssueState? state, string? label, string? assignee, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxListed)
        {
            throw new DomainException($"'limit' must be between 1 and {MaxListed}.");
        }

        var assigneeId = Assignee(assignee)?.Id;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Issues.AsNoTracking();
        if (state is { } s)
        {
            query = query.Where(i => i.State == s);
        }

        if (assigneeId is { } a)
        {
            query = query.Where(i => i.AssigneeAgentId == a);
        }

        // Labels are a JSON array in one column: filtered after a first cut by state and assignee, still bounded.
        var rows = await query.OrderByDescending(i => i.UpdatedAt).Take(string.IsNullOrWhiteSpace(label) ? take : MaxListed * 4).ToListAsync(cancellationToken);
        return [.. rows.Where(i => string.IsNullOrWhiteSpace(label) || i.Labels.Contains(label.Trim(), StringComparer.OrdinalIgnoreCase))
            .Take(take).Select(IssueSnapshot.From)];
    }

    /// <summary>How many issues are in each state (one grouped count over the state index), for the board's columns.</summary>
    public async Task<IReadOnlyDictionary<IssueState, int>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Issues.GroupBy(i => i.State).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    public async Task<IssueDetails> GetAsync(Guid issueId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var issue = await db.Issues.AsNoTracking().Include(i => i.Comments).SingleOrDefaultAsync(i => i.Id == issueId, cancellationToken)
            ?? throw new EntityNotFoundException("Issue", issueId.ToString());
        // A closing reason and the close itself share their instant: the comment reads first.
        return new IssueDetails(IssueSnapshot.From(issue), [.. issue.Comments.OrderBy(c => c.CreatedAt).ThenBy(c => c.Kind).Select(IssueEntrySnapshot.From)]);
    }

    private Task<IssueSnapshot> ChangeAsync(Guid issueId, Action<Issue> change, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new IssueCommand(db =>
        {
            var issue = db.Issues.Include(i => i.Comments).SingleOrDefault(i => i.Id == issueId)
                ?? throw new EntityNotFoundException("Issue", issueId.ToString());
            change(issue);
            return issue;
        }, events, time), cancellationToken);

    private AgentSnapshot? Assignee(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null
        : presence.Find(Agent.NormalizeName(name)) ?? throw new EntityNotFoundException("Agent", Inputs.Shorten(name.Trim(), 100));
}

/// <summary>Runs an issue change on the writer and announces it once durable.</summary>
internal sealed class IssueCommand(Func<VibeEnsembleDbContext, Issue> change, CoordinationEventBus events, TimeProvider time) : IWriteCommand<IssueSnapshot>
{
    private IssueSnapshot? _changed;

    public IssueSnapshot Execute(WriteContext context)
    {
        _changed = null;
        var issue = change(context.Db);
        context.Db.SaveChanges();
        return _changed = IssueSnapshot.From(issue);
    }

    public void OnCommitted()
    {
        if (_changed is { } issue)
        {
            events.Publish(new IssueChanged(issue, time.GetUtcNow()));
        }
    }
}
