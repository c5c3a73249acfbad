using Microsoft.AspNetCore.Components;
using MudBlazor;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Messages;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Messages;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Messages;

/// <summary>
/// Conversations by thread, newest first, live; what agents wrote to the person (and urgent messages) counted at
/// the top; a form to write to an agent, a group or everyone, or to reply into a thread. Text is rendered as text.
/// </summary>
public sealed partial class MessagesPage : LiveComponentBase
{
    private const int Shown = 200;

    private List<MessageSnapshot> _messages = [];
    private MessageSnapshot? _replyTo;
    private string? _to;
    private string? _subject;
    private string? _body;
    private string _importance = "normal";
    private string? _error;

    [Inject]
    public required MessageService Messages { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required IPresenceRegistry Presence { get; init; }

    protected override EventKinds SubscribedKinds => EventKinds.Message;

    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(30);

    private IEnumerable<IGrouping<Guid, MessageSnapshot>> Threads =>
        _messages.GroupBy(m => m.ThreadId).OrderByDescending(g => g.Max(m => m.CreatedAt));

    private IEnumerable<MessageSnapshot> ToYou =>
        _messages.Where(m => m.RecipientKind == RecipientKind.Human || m.Importance == MessageImportance.Urgent);

    protected override async Task LoadAsync(CancellationToken cancellationToken) =>
        _messages = [.. await Messages.RecentAsync(toHumanOnly: false, Shown, cancellationToken)];

    protected override Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        if (coordinationEvent is not MessageSent { Message: var message } || _messages.Exists(m => m.Id == message.Id))
        {
            return Task.FromResult(false);
        }

        _messages.Insert(0, message with { Status = null });
        if (_messages.Count > Shown)
        {
            _messages.RemoveAt(_messages.Count - 1);
        }

        return Task.FromResult(true);
    }

    private void StartReply(MessageSnapshot message)
    {
        _replyTo = message;
        _error = null;
    }

    private async Task SendAsync()
    {
        _error = null;
        try
        {
            var sent = _replyTo is { } original
                ? await Messages.ReplyAsync(original.Id, _body, sender: null, ComponentToken)
                : await Messages.SendAsync(new SendMessageRequest(_to, _body, _subject, _importance), sender: null, ComponentToken);
            Snackbar.Add($"Sent to {sent.To}.", Severity.Success);
            (_body, _subject, _replyTo) = (null, null, null);
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
        }
    }

    /// <summary>
    /// Recipients matching what is typed: agents by name, then <c>group:</c> for every named group, capability and
    /// specialization known (from memory, never the database), and <c>everyone</c>.
    /// </summary>
    private Task<IEnumerable<string>> SuggestRecipients(string? typed, CancellationToken cancellationToken)
    {
        var agents = Presence.List(status: null);
        var groups = agents.SelectMany(a => a.Groups.Concat(a.Capabilities).Concat(a.Specializations))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)
            .Select(g => SendMessageRequest.GroupPrefix + g);
        var all = agents.Select(a => a.Name).Concat(groups).Append(SendMessageRequest.Everyone);
        return Task.FromResult(string.IsNullOrWhiteSpace(typed)
            ? all
            : all.Where(r => r.Contains(typed.Trim(), StringComparison.OrdinalIgnoreCase)));
    }
}
