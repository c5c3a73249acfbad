using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Messages;

/// <summary>
/// A message: to one agent, to a group (every agent holding a capability or specialization), to everyone, or to the
/// person running the server. Replies share their first message's thread. Each agent recipient gets a delivery.
/// </summary>
public sealed class Message
{
    public const int MaxBodyChars = 20_000;
    public const int MaxSubjectChars = 200;

    /// <summary>How the person is named as a sender or recipient.</summary>
    public const string Human = "human";

    private readonly List<MessageDelivery> _deliveries = [];

    private Message()
    {
    }

    public Guid Id { get; private set; }

    public Guid? FromAgentId { get; private set; }

    /// <summary>The sender's name as it was when sent (an agent's name, or <see cref="Human"/>).</summary>
    public string Sender { get; private set; } = "";

    public RecipientKind RecipientKind { get; private set; }

    public Guid? ToAgentId { get; private set; }

    public string? ToGroup { get; private set; }

    public string Subject { get; private set; } = "";

    public string Body { get; private set; } = "";

    public MessageImportance Importance { get; private set; }

    public bool AckRequired { get; private set; }

    /// <summary>The first message of the conversation (its own id for a new one).</summary>
    public Guid ThreadId { get; private set; }

    public Guid? ReplyToId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyCollection<MessageDelivery> Deliveries => _deliveries;

    public static Message ToAgent(MessageDraft draft, Guid to, DateTimeOffset now)
    {
        var message = Create(draft, RecipientKind.Agent, now);
        message.ToAgentId = to;
        message._deliveries.Add(new MessageDelivery(message.Id, to));
        return message;
    }

    public static Message ToGroupOf(MessageDraft draft, string group, IEnumerable<Guid> members, DateTimeOffset now)
    {
        var message = Create(draft, RecipientKind.Group, now);
        message.ToGroup = Guard.Required(group, "to", 100);
        message._deliveries.AddRange(members.Distinct().Select(m => new MessageDelivery(message.Id, m)));
        return message;
    }

    public static Message Broadcast(MessageDraft draft, IEnumerable<Guid> everyone, DateTimeOffset now)
    {
        var message = Create(draft, RecipientKind.Broadcast, now);
        message._deliveries.AddRange(everyone.Distinct().Select(m => new MessageDelivery(message.Id, m)));
        return message;
    }

    /// <summary>To the person: no agent delivery; it lands in the dashboard's inbox.</summary>
    public static Message ToHuman(MessageDraft draft, DateTimeOffset now) => Create(draft, RecipientKind.Human, now);

    private static Message Create(MessageDraft draft, RecipientKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (!Enum.IsDefined(draft.Importance))
        {
            throw new DomainException("'importance' must be normal, high or urgent.");
        }

        var id = Guid.CreateVersion7(now);
        return new Message
        {
            Id = id,
            FromAgentId = draft.FromAgentId,
            Sender = Guard.Required(draft.Sender, "sender", 100),
            RecipientKind = kind,
            Subject = Guard.Optional(draft.Subject, "subject", MaxSubjectChars) ?? "",
            Body = Guard.Required(draft.Body, "body", MaxBodyChars),
            Importance = draft.Importance,
            AckRequired = draft.AckRequired,
            ThreadId = draft.ThreadId ?? id,
            ReplyToId = draft.ReplyToId,
            CreatedAt = now,
        };
    }
}

/// <summary>What a sender writes; the recipients are resolved apart.</summary>
public sealed record MessageDraft(
    Guid? FromAgentId, string Sender, string? Subject, string Body, MessageImportance Importance = MessageImportance.Normal,
    bool AckRequired = false, Guid? ThreadId = null, Guid? ReplyToId = null);
