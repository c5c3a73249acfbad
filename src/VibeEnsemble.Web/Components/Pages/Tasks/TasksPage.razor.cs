using Microsoft.AspNetCore.Components;
using MudBlazor;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Tasks;

public sealed partial class TasksPage : LiveComponentBase
{
    private const int Shown = TaskService.MaxListed;
    private static readonly string[] s_priorities = Enum.GetNames<Priority>();

    private List<TaskSnapshot> _tasks = [];
    private bool _loading = true;
    private string? _filter;
    private AgentTaskStatus? _status;
    private bool _showCreate;
    private bool _saving;
    private string? _formError;
    private TaskForm _form = new();
    private Guid? _open;
    private TaskDetails? _details;

    [Inject]
    public required TaskService Tasks { get; init; }

    [Inject]
    public required ProjectService Projects { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    private IReadOnlyList<ProjectSnapshot> _projects = [];

    protected override EventKinds SubscribedKinds => EventKinds.TaskUpdated;

    // Relative times ("2 min ago") stay true without events.
    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(15);

    private IEnumerable<TaskSnapshot> Visible => _tasks.Where(t =>
        (_status is null || t.Status == _status)
        && (string.IsNullOrWhiteSpace(_filter)
            || t.Title.Contains(_filter, StringComparison.OrdinalIgnoreCase)
            || t.RequiredCapabilities.Any(c => c.Contains(_filter, StringComparison.OrdinalIgnoreCase))));

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _tasks = [.. await Tasks.ListAsync(status: null, Shown, cancellationToken)];
        _projects = await Projects.ListAsync(cancellationToken);
        _loading = false;
    }

    protected override async Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        if (coordinationEvent is not TaskChanged { Task: var task })
        {
            return false;
        }

        var index = _tasks.FindIndex(t => t.Id == task.Id);
        if (index >= 0)
        {
            _tasks[index] = task;
        }
        else
        {
            // Newest first, as loaded; the oldest fall off past what the page shows.
            _tasks.Insert(0, task);
            if (_tasks.Count > Shown)
            {
                _tasks.RemoveAt(_tasks.Count - 1);
            }
        }

        if (_open == task.Id)
        {
            _details = await Tasks.GetAsync(task.Id, cancellationToken);
        }

        return true;
    }

    private async Task CreateAsync()
    {
        _saving = true;
        _formError = null;
        try
        {
            await Tasks.CreateAsync(_form.ToRequest(), creator: null, ComponentToken);
            _form = new TaskForm();
            _showCreate = false;
        }
        catch (DomainException ex)
        {
            _formError = ex.Message;
        }
        finally
        {
            _saving = false;
        }
    }

    private Task CancelAsync(TaskSnapshot task) =>
        RunAsync(() => Tasks.CancelAsync(task.Id, "cancelled from the dashboard", ComponentToken), $"Cancelled '{task.Title}'.");

    private Task RetryAsync(TaskSnapshot task) =>
        RunAsync(() => Tasks.RetryAsync(task.Id, ComponentToken), $"'{task.Title}' is queued again.");

    private async Task RunAsync(Func<Task<TaskSnapshot>> action, string done)
    {
        try
        {
            await action();
            Snackbar.Add(done, Severity.Success);
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }
    }

    private async Task Toggle(TaskSnapshot task)
    {
        if (_open == task.Id)
        {
            _open = null;
            return;
        }

        _open = task.Id;
        _details = null;
        _details = await Tasks.GetAsync(task.Id, ComponentToken);
    }

    private string TitleOf(Guid id) => _tasks.Find(t => t.Id == id)?.Title ?? id.ToString();

    private static bool IsFinished(TaskSnapshot task) =>
        task.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed or AgentTaskStatus.Cancelled;

    /// <summary>What the create form holds; the service validates it and its messages are shown as they are.</summary>
    private sealed class TaskForm
    {
        public string? Title { get; set; }

        public string? Description { get; set; }

        public string? Capabilities { get; set; }

        public string Priority { get; set; } = nameof(Domain.Common.Priority.Normal);

        public IReadOnlyCollection<Guid> DependsOn { get; set; } = [];

        /// <summary>The project's name; none picked means the only project, if there is one.</summary>
        public string? Project { get; set; }

        public CreateTaskRequest ToRequest() => new(
            Title ?? "", Description,
            (Capabilities ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Priority, [.. DependsOn], Project: Project);
    }
}
