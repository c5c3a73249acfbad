using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Events;

namespace VibeEnsemble.Infrastructure.Messages;

/// <summary>A message as callers see it; <see cref="Status"/> is the caller's own delivery, when it is a recipient.</summary>
public sealed record MessageSnapshot(
    Guid Id, Guid ThreadId, Guid? ReplyToId, string Sender, RecipientKind RecipientKind, string To, string Subject, string Body,
    MessageImportance Importance, bool AckRequired, DateTimeOffset CreatedAt, DeliveryStatus? Status = null);

/// <summary>Where one recipient's copy of a message is.</summary>
public enum DeliveryStatus
{
    Queued,
    Delivered,
    Read,
    Acknowledged,
}

/// <summary>A message as a sender writes it. <see cref="To"/>: an agent's name, <c>group:&lt;capability&gt;</c>, <c>everyone</c> or <c>human</c>.</summary>
public sealed record SendMessageRequest(
    string? To, string? Body, string? Subject = null, string? Importance = null, bool? AckRequired = null)
{
    public const string Everyone = "everyone";
    public const string GroupPrefix = "group:";

    public static MessageImportance ParseImportance(string? value) =>
        Inputs.Enum<MessageImportance>(value, "importance", "normal, high or urgent") ?? MessageImportance.Normal;
}

/// <summary>
/// A message was stored: pushed (<c>vibe/agent/message</c>) to the /ws connections of its recipients only
/// (<see cref="Connections"/>), and shown live on the dashboard.
/// </summary>
public sealed record MessageSent(MessageSnapshot Message, IReadOnlyList<Guid> Recipients, IReadOnlySet<string> Connections, DateTimeOffset At)
    : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.Message;

    public override IReadOnlySet<string> Audience => Connections;
}

/// <summary>Reads message ids as callers send them, with a message naming the field.</summary>
public static class MessageIds
{
    public static Guid Parse(string? value, string parameter = "messageId") =>
        Inputs.Id(value, parameter, "a message id", "the message's id as check_inbox or send_message returns it");
}
