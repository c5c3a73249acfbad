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
        string.IsNullOrWhiteSpace(value) ? MessageImportance.Normal
        : Enum.TryParse<MessageImportance>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !value.Trim().All(char.IsAsciiDigit) ? parsed
        : throw new DomainException($"'importance' must be normal, high or urgent, not '{(value.Length <= 40 ? value : value[..40] + "…")}'.");
}

/// <summary>
/// A message was stored: pushed (<c>vibe/agent/message</c>) to the /ws connections of its recipients only
/// (<see cref="Connections"/>), and shown live on the dashboard.
/// </summary>
public sealed record MessageSent(MessageSnapshot Message, IReadOnlyList<Guid> Recipients, IReadOnlySet<string> Connections, DateTimeOffset At)
    : CoordinationEvent(At)
{
    public override EventKinds Kind => EventKinds.Message;
}

/// <summary>Reads message ids as callers send them, with a message naming the field.</summary>
public static class MessageIds
{
    public static Guid Parse(string? value, string parameter = "messageId") =>
        Guid.TryParse(value?.Trim(), out var id) ? id
        : throw new DomainException(string.IsNullOrWhiteSpace(value)
            ? $"'{parameter}' is required: the message's id as check_inbox or send_message returns it."
            : $"'{parameter}' must be a message id such as 0196f2a6-61b5-7c1e-9a3e-5b0d1c2e3f40; got '{(value.Length <= 60 ? value : value[..60] + "…")}'.");
}
