using Microsoft.AspNetCore.Components;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Issues;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Issues;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Issues;

/// <summary>
/// Issues, most recently changed first, filtered by state, live, as a list or as a board by state (drag a card to
/// change its state); the one selected with its history, a state change and comments; a form to open one. Written
/// as the person ("human").
/// </summary>
public sealed partial class IssuesPage : LiveComponentBase
{
    private const int Shown = 200;

    private List<IssueSnapshot> _issues = [];
    private IssueDetails? _selected;
    private string _state = "";
    private string? _title;
    private string? _body;
    private string? _labels;
    private string? _comment;
    private string? _error;
    private string? _boardError;
    private List<IssueSnapshot> _onBoard = [];
    private IReadOnlyDictionary<IssueState, int> _counts = new Dictionary<IssueState, int>();

    [Inject]
    public required IssueService Issues { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    /// <summary>The view, kept in the URL so it can be linked: <c>?view=board</c>, else the list.</summary>
    [SupplyParameterFromQuery(Name = "view")]
    public string? View { get; set; }

    private bool ShowingBoard => View == "board";

    protected override EventKinds SubscribedKinds => EventKinds.Issue;

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!ShowingBoard)
        {
            _issues = [.. await Issues.ListAsync(IssueInputs.ParseState(_state), null, null, Shown, cancellationToken)];
            return;
        }

        // Each column pages on the server: the most recently changed of its state, and how many there are in all.
        _counts = await Issues.CountByStateAsync(cancellationToken);
        var onBoard = new List<IssueSnapshot>();
        foreach (var state in IssueBoard.Columns.Where(s => _counts.GetValueOrDefault(s) > 0))
        {
            onBoard.AddRange(await Issues.ListAsync(state, null, null, IssueBoard.PerColumn, cancellationToken));
        }

        _onBoard = onBoard;
    }

    protected override async Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        if (coordinationEvent is not IssueChanged { Issue: var issue })
        {
            return false;
        }

        await LoadAsync(cancellationToken);
        if (_selected?.Issue.Id == issue.Id)
        {
            _selected = await Issues.GetAsync(issue.Id, cancellationToken);
        }

        return true;
    }

    private async Task FilterAsync(string state)
    {
        _state = state;
        await LoadAsync(ComponentToken);
    }

    private async Task ShowBoardAsync(bool board)
    {
        (View, _boardError) = (board ? "board" : null, null);
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("view", View), replace: true);
        await LoadAsync(ComponentToken);
    }

    /// <summary>A card dropped on another column: shown there at once, put back with the reason if refused.</summary>
    private async Task MoveAsync((IssueSnapshot Issue, IssueState State) move)
    {
        _boardError = null;
        // A new list, so that the board sees it changed and redraws its columns.
        _onBoard = [.. _onBoard.Select(i => i.Id == move.Issue.Id ? i with { State = move.State } : i)];

        try
        {
            await Issues.UpdateAsync(new UpdateIssueRequest(move.Issue.Id.ToString(), State: move.State.ToString()), by: null, ComponentToken);
        }
        catch (DomainException ex)
        {
            _boardError = $"'{move.Issue.Title}' cannot move to {move.State}: {ex.Message}";
            await LoadAsync(ComponentToken);
        }
    }

    private async Task SelectAsync(IssueSnapshot issue)
    {
        _error = null;
        _selected = await Issues.GetAsync(issue.Id, ComponentToken);
    }

    private Task CreateAsync() => RunAsync(async () =>
    {
        await Issues.CreateAsync(new CreateIssueRequest(_title, _body, null,
            _labels?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)), reporter: null, ComponentToken);
        (_title, _body, _labels) = (null, null, null);
    });

    private Task ChangeStateAsync(string state) => RunAsync(() =>
        Issues.UpdateAsync(new UpdateIssueRequest(_selected!.Issue.Id.ToString(), State: state), by: null, ComponentToken));

    private Task CommentAsync() => RunAsync(async () =>
    {
        await Issues.CommentAsync(_selected!.Issue.Id, _comment, by: null, ComponentToken);
        _comment = null;
    });

    private async Task RunAsync(Func<Task> action)
    {
        _error = null;
        try
        {
            await action();
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
        }
    }
}
