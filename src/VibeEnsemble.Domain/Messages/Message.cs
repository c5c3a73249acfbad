using VibeEnsemble.Domain.Common;

namespace VibeEnsemble.Domain.Messages;

/// <summary>A message between agents: to one agent, to a group (by capability) or to everyone.</summary>
public sealed class Message
{
    private readonly List<MessageDelivery> _deliveries = [];

    private Message()
    {
    }

    public Guid Id { get; private set; }

    public Guid? FromAgentId { get; private set; }

    public RecipientKind RecipientKind { get; private set; }

    public Guid? ToAgentId { get; private set; }

    public string? ToGroup { get; private set; }

    public string Body { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyCollection<MessageDelivery> Deliveries => _deliveries;

    public static Message ToAgent(Guid? from, Guid to, string body, DateTimeOffset now)
    {
        var message = Create(from, RecipientKind.Agent, body, now);
        message.ToAgentId = to;
        message._deliveries.Add(new MessageDelivery(message.Id, to));
        return message;
    }

    public static Message ToGroupOf(Guid? from, string group, IEnumerable<Guid> members, string body, DateTimeOffset now)
    {
        var message = Create(from, RecipientKind.Group, body, now);
        message.ToGroup = Guard.Required(group, "group", 100);
        message._deliveries.AddRange(members.Distinct().Select(m => new MessageDelivery(message.Id, m)));
        return message;
    }

    public static Message Broadcast(Guid? from, IEnumerable<Guid> everyone, string body, DateTimeOffset now)
    {
        var message = Create(from, RecipientKind.Broadcast, body, now);
        message._deliveries.AddRange(everyone.Distinct().Select(m => new MessageDelivery(message.Id, m)));
        return message;
    }

    private static Message Create(Guid? from, RecipientKind kind, string body, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        FromAgentId = from,
        RecipientKind = kind,
        Body = Guard.Required(body, "body", 100_000),
        CreatedAt = now,
    };
}
