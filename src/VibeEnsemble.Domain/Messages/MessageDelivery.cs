namespace VibeEnsemble.Domain.Messages;

/// <summary>
/// Delivery of one message to one recipient; a group or broadcast message has one per agent. Queued until the
/// recipient receives it (its inbox, a push it acknowledged), then read, then acknowledged when it says so.
/// </summary>
public sealed class MessageDelivery
{
    private MessageDelivery()
    {
    }

    internal MessageDelivery(Guid messageId, Guid recipientAgentId)
    {
        MessageId = messageId;
        RecipientAgentId = recipientAgentId;
    }

    public Guid MessageId { get; private set; }

    public Guid RecipientAgentId { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }
}
