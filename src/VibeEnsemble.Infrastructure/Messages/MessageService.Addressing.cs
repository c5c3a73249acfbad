using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Messages;

namespace VibeEnsemble.Infrastructure.Messages;

/// <summary>Who a message goes to: resolved from the presence registry (every agent ever registered, online or not).</summary>
public sealed partial class MessageService
{
    private sealed record Addressed(Message Message, IReadOnlyList<Guid> Recipients, IReadOnlySet<string> Connections);

    private Addressed Address(MessageDraft draft, string to, Guid? senderId)
    {
        var now = time.GetUtcNow();
        if (string.Equals(to, Message.Human, StringComparison.OrdinalIgnoreCase))
        {
            return new Addressed(Message.ToHuman(draft, now), [], new HashSet<string>());
        }

        List<(Guid Id, string Name, string? Connection)> recipients = [];
        Message message;
        lock (presence.Gate)
        {
            if (string.Equals(to, SendMessageRequest.Everyone, StringComparison.OrdinalIgnoreCase) || to == "*")
            {
                recipients.AddRange(presence.All.Where(a => a.Id != senderId).Select(Recipient));
                message = Message.Broadcast(draft, recipients.Select(r => r.Id), now);
            }
            else if (to.StartsWith(SendMessageRequest.GroupPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var group = to[SendMessageRequest.GroupPrefix.Length..].Trim();
                recipients.AddRange(presence.All.Where(a => a.Id != senderId && a.IsIn(group)).Select(Recipient));
                if (recipients.Count == 0)
                {
                    throw new DomainException($"Group '{Inputs.Shorten(group, 100)}' is empty: no other agent joined it or holds it as a capability or specialization.");
                }

                message = Message.ToGroupOf(draft, group, recipients.Select(r => r.Id), now);
            }
            else
            {
                var agent = presence.Get(Agent.NormalizeName(to)) ?? throw new EntityNotFoundException("Agent", Inputs.Shorten(to, 100));
                recipients.Add(Recipient(agent));
                message = Message.ToAgent(draft, agent.Id, now);
            }
        }

        return new Addressed(message, [.. recipients.Select(r => r.Id)],
            recipients.Where(r => r.Connection is not null).Select(r => r.Connection!).ToHashSet(StringComparer.Ordinal));
    }

    private async Task<MessageSnapshot> StoreAsync(Addressed addressed, CancellationToken cancellationToken)
    {
        var snapshot = Snapshot(addressed.Message, presence.NameOf);
        await writer.ExecuteAsync(new StoreMessageCommand(addressed.Message,
            () => events.Publish(new MessageSent(snapshot with { Status = DeliveryStatus.Queued }, addressed.Recipients, addressed.Connections, snapshot.CreatedAt))),
            cancellationToken);
        return snapshot;
    }

    private static (Guid Id, string Name, string? Connection) Recipient(Agent agent) =>
        (agent.Id, agent.Name, agent.Status == AgentStatus.Offline ? null : agent.ConnectionId);

    // Names are looked up one at a time (never a copy of every agent's name per call, which made each
    // registration cost in proportion to every agent ever known).
    private string? Named(Guid agentId) => presence.NameOf(agentId);

    /// <summary>A message stored elsewhere (with a task's failure), described for its announcement.</summary>
    internal static MessageSnapshot Describe(Message message, Guid? recipient)
    {
        var snapshot = Snapshot(message, static _ => null, DeliveryStatus.Queued);
        return recipient is null ? snapshot : snapshot with { To = "the task's creator" };
    }

    private static MessageSnapshot Snapshot(Message m, Func<Guid, string?> names, DeliveryStatus? status = null) => new(
        m.Id, m.ThreadId, m.ReplyToId, m.Sender, m.RecipientKind,
        m.RecipientKind switch
        {
            RecipientKind.Agent => m.ToAgentId is { } id && names(id) is { } name ? name : "an agent",
            RecipientKind.Group => SendMessageRequest.GroupPrefix + m.ToGroup,
            RecipientKind.Broadcast => SendMessageRequest.Everyone,
            _ => Message.Human,
        },
        m.Subject, m.Body, m.Importance, m.AckRequired, m.CreatedAt, status);
}
