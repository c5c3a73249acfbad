using Microsoft.AspNetCore.Components;
using MudBlazor;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Workers;

/// <summary>
/// Running and recent workers, live, and the parsed output of the one selected (deep link <c>/workers/{id}</c>),
/// appended line by line as the worker prints.
/// </summary>
public sealed partial class WorkersPage : LiveComponentBase
{
    private const int Shown = 100;
    private const int MaxLines = 2_000;

    private List<WorkerSnapshot> _workers = [];
    private readonly Dictionary<Guid, string> _taskTitles = [];
    private List<WorkerOutputSnapshot> _lines = [];
    private Guid? _linesOf;
    private bool _loading = true;

    [Parameter]
    public Guid? WorkerId { get; set; }

    /// <summary>The open tab, kept in the URL (<c>?tab=1</c> profiles, <c>?tab=2</c> projects) so it can be linked.</summary>
    [SupplyParameterFromQuery(Name = "tab")]
    public int Tab { get; set; }

    [Inject]
    public required WorkerService Workers { get; init; }

    [Inject]
    public required TaskService Tasks { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    protected override EventKinds SubscribedKinds => EventKinds.WorkerUpdated | EventKinds.WorkerOutput | EventKinds.TaskUpdated;

    // Durations and "started 2 min ago" move on without events.
    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(5);

    private WorkerSnapshot? Selected => _workers.Find(w => w.Id == WorkerId);

    private int RunningCount => _workers.Count(w => w.State is WorkerState.Starting or WorkerState.Running);

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _workers = [.. await Workers.ListAsync(runningOnly: false, Shown, cancellationToken)];
        foreach (var task in await Tasks.ListAsync(status: null, TaskService.MaxListed, cancellationToken))
        {
            _taskTitles[task.Id] = task.Title;
        }

        WorkerId ??= _workers.FirstOrDefault()?.Id;
        await LoadLinesAsync(cancellationToken);
        _loading = false;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (!_loading && _linesOf != WorkerId)
        {
            await LoadLinesAsync(ComponentToken);
        }
    }

    protected override async Task RefreshAsync(CancellationToken cancellationToken) =>
        _workers = [.. await Workers.ListAsync(runningOnly: false, Shown, cancellationToken)];

    protected override async Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        switch (coordinationEvent)
        {
            case WorkerChanged { Worker: var worker }:
                var index = _workers.FindIndex(w => w.Id == worker.Id);
                if (index >= 0)
                {
                    _workers[index] = worker;
                }
                else
                {
                    _workers.Insert(0, worker);
                    if (WorkerId is null)
                    {
                        WorkerId = worker.Id;
                        await LoadLinesAsync(cancellationToken);
                    }
                }

                return true;
            case WorkerOutputAppended { WorkerId: var id, Line: var line } when id == WorkerId && id == _linesOf:
                if (_lines.Count == 0 || line.Sequence > _lines[^1].Sequence)
                {
                    _lines.Add(line);
                    if (_lines.Count > MaxLines)
                    {
                        _lines.RemoveRange(0, _lines.Count - MaxLines);
                    }
                }

                return true;
            case TaskChanged { Task: var task }:
                _taskTitles[task.Id] = task.Title;
                return false;
            default:
                return false;
        }
    }

    private async Task LoadLinesAsync(CancellationToken cancellationToken)
    {
        _linesOf = WorkerId;
        _lines = WorkerId is { } id ? [.. await Workers.OutputAsync(id, 0, WorkerService.MaxOutputLines, tail: true, cancellationToken)] : [];
    }

    private async Task Select(WorkerSnapshot worker)
    {
        Navigation.NavigateTo($"/workers/{worker.Id}");
        WorkerId = worker.Id;
        await LoadLinesAsync(ComponentToken);
    }

    private async Task StopAsync(WorkerSnapshot worker)
    {
        try
        {
            await Workers.StopAsync(worker.Id, "stopped from the dashboard", ComponentToken);
            Snackbar.Add("Worker stopped; its task has failed and can be retried from Tasks.", Severity.Success);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    private string TaskTitle(WorkerSnapshot worker) =>
        worker.TaskId is { } id ? _taskTitles.GetValueOrDefault(id, id.ToString()) : "—";

    private string Duration(WorkerSnapshot worker)
    {
        if (worker.StartedAt is not { } started)
        {
            return "—";
        }

        var span = (worker.ExitedAt ?? Time.GetUtcNow()) - started;
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m {span.Seconds}s" : $"{span.TotalSeconds:0.0}s";
    }

    private static Color StateColor(WorkerSnapshot worker) => worker.Stalled ? Color.Warning : worker.State switch
    {
        WorkerState.Running or WorkerState.Starting => Color.Info,
        WorkerState.Exited => Color.Success,
        WorkerState.Failed => Color.Error,
        _ => Color.Default,
    };
}
