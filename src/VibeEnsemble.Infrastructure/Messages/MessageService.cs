using Microsoft.EntityFrameworkCore;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Messages;

/// <summary>
/// Messages between agents and the person: sent to an agent, a group (every agent holding a capability or
/// specialization), everyone, or the person; replied to in threads; read from an inbox (unread first), waited for,
/// acknowledged, searched. Every recipient has a delivery row, so nothing sent to an agent that is offline is lost: it
/// is in its inbox when it returns, and pushed to its /ws connection when it registers again. MCP tools, vibe/message/*
/// and the dashboard all come through here.
/// </summary>
public sealed partial class MessageService(
    PresenceRegistry presence, IDurableWriter writer, IDbContextFactory<VibeEnsembleDbContext> dbFactory,
    CoordinationEventBus events, TimeProvider time)
{
    public const int MaxListed = 200;
    public const int MaxWaitSeconds = 55;
    public const int MaxQueryChars = 200;

    /// <summary>Sends as <paramref name="sender"/> (null: the person, from the dashboard or the API).</summary>
    public async Task<MessageSnapshot> SendAsync(SendMessageRequest request, AgentSnapshot? sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var to = request.To?.Trim();
        if (string.IsNullOrEmpty(to))
        {
            throw new DomainException($"'to' is required: an agent's name, '{SendMessageRequest.GroupPrefix}<name>', '{SendMessageRequest.Everyone}' or '{Message.Human}'.");
        }

        var draft = new MessageDraft(sender?.Id, sender?.Name ?? Message.Human, request.Subject, request.Body ?? "",
            SendMessageRequest.ParseImportance(request.Importance), request.AckRequired ?? false);
        return await StoreAsync(Address(draft, to, sender?.Id), cancellationToken);
    }

    /// <summary>A message from the server itself (sender "vibe-ensemble") to one agent.</summary>
    internal Task<MessageSnapshot> NotifyAsync(string agentName, string subject, string body, CancellationToken cancellationToken) =>
        NotifyAsync(agentName, subject, body, Domain.Messages.MessageImportance.Normal, cancellationToken);

    /// <summary>A message from the server itself to one agent (or <c>human</c>), as important as it says.</summary>
    internal Task<MessageSnapshot> NotifyAsync(
        string agentName, string subject, string body, Domain.Messages.MessageImportance importance, CancellationToken cancellationToken) =>
        StoreAsync(Address(new MessageDraft(null, Tasks.TaskEscalations.Sender, subject, body, importance, false), agentName, null), cancellationToken);

    /// <summary>Answers <paramref name="messageId"/> to its sender, in its thread.</summary>
    public async Task<MessageSnapshot> ReplyAsync(Guid messageId, string? body, AgentSnapshot? sender, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var original = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId, cancellationToken)
            ?? throw new EntityNotFoundException("Message", messageId.ToString());
        var subject = original.Subject.Length == 0 || original.Subject.StartsWith("Re: ", StringComparison.Ordinal)
            ? original.Subject : $"Re: {original.Subject}"[..Math.Min(Message.MaxSubjectChars, original.Subject.Length + 4)];
        var draft = new MessageDraft(sender?.Id, sender?.Name ?? Message.Human, subject, body ?? "", original.Importance,
            ThreadId: original.ThreadId, ReplyToId: original.Id);
        var to = original.FromAgentId is { } author && Named(author) is { } name ? name : Message.Human;
        return await StoreAsync(Address(draft, to, sender?.Id), cancellationToken);
    }

    /// <summary>
    /// The caller's messages, unread first then newest, at most <paramref name="limit"/>; those returned are now
    /// delivered and read.
    /// </summary>
    public async Task<IReadOnlyList<MessageSnapshot>> InboxAsync(AgentSnapshot agent, bool unreadOnly, int? limit, CancellationToken cancellationToken)
    {
        var take = Limit(limit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = from delivery in db.MessageDeliveries.AsNoTracking()
                    where delivery.RecipientAgentId == agent.Id && (!unreadOnly || delivery.ReadAt == null)
                    join message in db.Messages.AsNoTracking() on delivery.MessageId equals message.Id
                    orderby delivery.ReadAt == null descending, message.CreatedAt descending
                    select new { message, delivery };
        var rows = await query.Take(take).ToListAsync(cancellationToken);
        var unread = rows.Where(r => r.delivery.ReadAt is null).Select(r => r.message.Id).ToList();
        if (unread.Count > 0)
        {
            await writer.ExecuteAsync(new MarkReadCommand(agent.Id, unread, time), cancellationToken);
        }

        return [.. rows.Select(r => Snapshot(r.message, presence.NameOf, r.delivery.AcknowledgedAt is not null ? DeliveryStatus.Acknowledged : DeliveryStatus.Read))];
    }

    /// <summary>
    /// Unread messages of the caller, waiting up to <paramref name="waitSeconds"/> (at most 55) for one to arrive; an
    /// empty list when none did.
    /// </summary>
    public async Task<IReadOnlyList<MessageSnapshot>> WaitAsync(AgentSnapshot agent, int? waitSeconds, CancellationToken cancellationToken)
    {
        var seconds = waitSeconds ?? 30;
        if (seconds is < 0 or > MaxWaitSeconds)
        {
            throw new DomainException($"'waitSeconds' must be between 0 and {MaxWaitSeconds}.");
        }

        // Listening before looking, so a message sent in between is not missed.
        using var subscription = events.Subscribe(EventKinds.Message);
        var waiting = await InboxAsync(agent, unreadOnly: true, MaxListed, cancellationToken);
        if (waiting.Count > 0 || seconds == 0)
        {
            return waiting;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        try
        {
            await foreach (var sent in subscription.ReadAllAsync(timeout.Token))
            {
                if (sent is MessageSent { Recipients: var recipients } && recipients.Contains(agent.Id))
                {
                    return await InboxAsync(agent, unreadOnly: true, MaxListed, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return [];
    }

    /// <summary>Marks one recipient's copy delivered and read (a worker was told it in its session).</summary>
    public Task MarkReadAsync(Guid recipient, Guid messageId, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(new MarkReadCommand(recipient, [messageId], time), cancellationToken);

    /// <summary>Records that the caller has acted on a message addressed to it.</summary>
    public async Task<MessageSnapshot> AcknowledgeAsync(AgentSnapshot agent, Guid messageId, CancellationToken cancellationToken)
    {
        var message = await writer.ExecuteAsync(new AcknowledgeCommand(agent.Id, messageId, time), cancellationToken);
        return Snapshot(message, presence.NameOf, DeliveryStatus.Acknowledged);
    }

    /// <summary>
    /// Messages whose subject or body holds <paramref name="query"/> (plain text, case-insensitive), newest first:
    /// those the caller sent or received, or every message for the person (<paramref name="agent"/> null).
    /// </summary>
    public async Task<IReadOnlyList<MessageSnapshot>> SearchAsync(AgentSnapshot? agent, string? query, int? limit, CancellationToken cancellationToken)
    {
        var text = query?.Trim() ?? "";
        if (text.Length is 0 or > MaxQueryChars)
        {
            throw new DomainException($"'query' is required and at most {MaxQueryChars} characters.");
        }

        var pattern = "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var messages = db.Messages.AsNoTracking()
            .Where(m => EF.Functions.Like(m.Subject, pattern, "\\") || EF.Functions.Like(m.Body, pattern, "\\"));
        if (agent is { Id: var id })
        {
            messages = messages.Where(m => m.FromAgentId == id || db.MessageDeliveries.Any(d => d.MessageId == m.Id && d.RecipientAgentId == id));
        }

        var found = await messages.OrderByDescending(m => m.CreatedAt).Take(Limit(limit)).ToListAsync(cancellationToken);
        return [.. found.Select(m => Snapshot(m, presence.NameOf))];
    }

    /// <summary>The newest messages (the dashboard's conversations), optionally only those to the person.</summary>
    public async Task<IReadOnlyList<MessageSnapshot>> RecentAsync(bool toHumanOnly, int? limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var messages = db.Messages.AsNoTracking();
        if (toHumanOnly)
        {
            messages = messages.Where(m => m.RecipientKind == RecipientKind.Human || m.Importance == MessageImportance.Urgent);
        }

        var found = await messages.OrderByDescending(m => m.CreatedAt).Take(Limit(limit)).ToListAsync(cancellationToken);
        return [.. found.Select(m => Snapshot(m, presence.NameOf))];
    }

    /// <summary>Pushes an agent's undelivered messages to the /ws connection it just registered on.</summary>
    public async Task PushQueuedAsync(AgentSnapshot agent, string connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var queued = await (from delivery in db.MessageDeliveries.AsNoTracking()
                            where delivery.RecipientAgentId == agent.Id && delivery.AcknowledgedAt == null && delivery.ReadAt == null
                            join message in db.Messages.AsNoTracking() on delivery.MessageId equals message.Id
                            orderby message.CreatedAt
                            select message).Take(MaxListed).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var message in queued)
        {
            events.Publish(new MessageSent(Snapshot(message, presence.NameOf, DeliveryStatus.Queued), [agent.Id], new HashSet<string>(StringComparer.Ordinal) { connectionId }, now));
        }
    }

    private static int Limit(int? limit) => limit is null ? 50
        : limit is >= 1 and <= MaxListed ? limit.Value
        : throw new DomainException($"'limit' must be between 1 and {MaxListed}.");
}
