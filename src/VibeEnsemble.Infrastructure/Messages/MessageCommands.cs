using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Agents;
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
        var insert = context.Statement(
            """
            INSERT INTO Messages (Id, FromAgentId, Sender, RecipientKind, ToAgentId, ToGroup, Subject, Body, Importance, AckRequired, ThreadId, ReplyToId, CreatedAt)
            VALUES ($id, $from, $sender, $kind, $to, $group, $subject, $body, $importance, $ack, $thread, $replyTo, $at)
            """,
            "$id", "$from", "$sender", "$kind", "$to", "$group", "$subject", "$body", "$importance", "$ack", "$thread", "$replyTo", "$at");
        insert.Parameters[0].Value = AgentRow.StoredId(message.Id);
        insert.Parameters[1].Value = AgentRow.StoredIdOrNull(message.FromAgentId);
        insert.Parameters[2].Value = message.Sender;
        insert.Parameters[3].Value = message.RecipientKind.ToString();
        insert.Parameters[4].Value = AgentRow.StoredIdOrNull(message.ToAgentId);
        insert.Parameters[5].Value = (object?)message.ToGroup ?? DBNull.Value;
        insert.Parameters[6].Value = message.Subject;
        insert.Parameters[7].Value = message.Body;
        insert.Parameters[8].Value = message.Importance.ToString();
        insert.Parameters[9].Value = message.AckRequired ? 1 : 0;
        insert.Parameters[10].Value = AgentRow.StoredId(message.ThreadId);
        insert.Parameters[11].Value = AgentRow.StoredIdOrNull(message.ReplyToId);
        insert.Parameters[12].Value = message.CreatedAt.UtcTicks;
        insert.ExecuteNonQuery();

        var delivery = context.Statement(
            "INSERT INTO MessageDeliveries (MessageId, RecipientAgentId) VALUES ($message, $recipient)", "$message", "$recipient");
        foreach (var recipient in message.Deliveries)
        {
            delivery.Parameters[0].Value = AgentRow.StoredId(message.Id);
            delivery.Parameters[1].Value = AgentRow.StoredId(recipient.RecipientAgentId);
            delivery.ExecuteNonQuery();
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
        var update = context.Statement(
            """
            UPDATE MessageDeliveries SET DeliveredAt = COALESCE(DeliveredAt, $now), ReadAt = COALESCE(ReadAt, $now)
            WHERE MessageId = $message AND RecipientAgentId = $recipient
            """,
            "$now", "$message", "$recipient");
        var now = time.GetUtcNow().UtcTicks;
        var changed = 0;
        foreach (var id in messageIds)
        {
            update.Parameters[0].Value = now;
            update.Parameters[1].Value = AgentRow.StoredId(id);
            update.Parameters[2].Value = AgentRow.StoredId(recipient);
            changed += update.ExecuteNonQuery();
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
        var update = context.Statement(
            """
            UPDATE MessageDeliveries SET DeliveredAt = COALESCE(DeliveredAt, $now), ReadAt = COALESCE(ReadAt, $now),
                AcknowledgedAt = COALESCE(AcknowledgedAt, $now)
            WHERE MessageId = $message AND RecipientAgentId = $recipient
            """,
            "$now", "$message", "$recipient");
        update.Parameters[0].Value = time.GetUtcNow().UtcTicks;
        update.Parameters[1].Value = AgentRow.StoredId(messageId);
        update.Parameters[2].Value = AgentRow.StoredId(recipient);
        return update.ExecuteNonQuery() == 1 ? message
            : throw new DomainException($"Message {messageId} was not sent to you, so there is nothing to acknowledge.");
    }
}
