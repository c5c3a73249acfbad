using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Persistence.Writing;

namespace VibeEnsemble.Infrastructure.Messages;

/// <summary>
/// Stores a message with its deliveries; announced once durable. Prepared statements rather than EF Core: every send
/// is one, and a broadcast writes a row per agent. Columns as EF Core writes them (the inbox reads them through it).
/// </summary>
internal sealed class StoreMessageCommand(Message message, Action committed) : IWriteCommand<bool>
{
    public bool Execute(WriteContext context)
    {
        context.Prepared(
                """
                INSERT INTO Messages (Id, FromAgentId, Sender, RecipientKind, ToAgentId, ToGroup, Subject, Body,
                    Importance, AckRequired, ThreadId, ReplyToId, CreatedAt)
                VALUES ($id, $from, $sender, $kind, $to, $group, $subject, $body, $importance, $ack, $thread, $replyTo, $at)
                """,
                "$id", "$from", "$sender", "$kind", "$to", "$group", "$subject", "$body", "$importance", "$ack",
                "$thread", "$replyTo", "$at")
            .Bind(1, message.Id).Bind(2, message.FromAgentId)
            .Bind(3, message.Sender).Bind(4, message.RecipientKind.ToString())
            .Bind(5, message.ToAgentId).Bind(6, message.ToGroup).Bind(7, message.Subject)
            .Bind(8, message.Body).Bind(9, message.Importance.ToString()).Bind(10, message.AckRequired ? 1 : 0)
            .Bind(11, message.ThreadId).Bind(12, message.ReplyToId)
            .Bind(13, message.CreatedAt.UtcTicks)
            .Execute();

        var delivery = context.Prepared(
            "INSERT INTO MessageDeliveries (MessageId, RecipientAgentId) VALUES ($message, $recipient)", "$message", "$recipient");
        foreach (var recipient in message.Deliveries)
        {
            delivery.Bind(1, message.Id).Bind(2, recipient.RecipientAgentId).Execute();
        }

        return true;
    }

    public void OnCommitted() => committed();
}

/// <summary>Marks the recipient's copies of <paramref name="messageIds"/> delivered and read (prepared SQL: every inbox read does it).</summary>
internal sealed class MarkReadCommand(Guid recipient, IReadOnlyList<Guid> messageIds, TimeProvider time) : IWriteCommand<int>
{
    public int Execute(WriteContext context)
    {
        var update = context.Prepared(
            """
            UPDATE MessageDeliveries SET DeliveredAt = COALESCE(DeliveredAt, $now), ReadAt = COALESCE(ReadAt, $now)
            WHERE MessageId = $message AND RecipientAgentId = $recipient
            """,
            "$now", "$message", "$recipient");
        var now = time.GetUtcNow().UtcTicks;
        var changed = 0;
        foreach (var id in messageIds)
        {
            changed += update.Bind(1, now).Bind(2, id).Bind(3, recipient).Execute();
        }

        return changed;
    }
}

/// <summary>Acknowledges the recipient's copy of a message (delivered and read too, if it was not yet).</summary>
internal sealed class AcknowledgeCommand(Guid recipient, Guid messageId, TimeProvider time) : IWriteCommand<Message>
{
    public Message Execute(WriteContext context)
    {
        var message = context.Db.Messages.SingleOrDefault(m => m.Id == messageId)
            ?? throw new EntityNotFoundException("Message", messageId.ToString());
        var update = context.Prepared(
            """
            UPDATE MessageDeliveries SET DeliveredAt = COALESCE(DeliveredAt, $now), ReadAt = COALESCE(ReadAt, $now),
                AcknowledgedAt = COALESCE(AcknowledgedAt, $now)
            WHERE MessageId = $message AND RecipientAgentId = $recipient
            """,
            "$now", "$message", "$recipient");
        var changed = update.Bind(1, time.GetUtcNow().UtcTicks).Bind(2, messageId).Bind(3, recipient).Execute();
        return changed == 1 ? message
            : throw new DomainException($"Message {messageId} was not sent to you, so there is nothing to acknowledge.");
    }
}
