using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Permissions;

/// <summary>
/// The person's inbox: every tool call that waits for a decision, live, with approve, deny, remember-as-a-rule and
/// an edit of the input before approving; the rules; and the history of decisions (the audit trail).
/// </summary>
public sealed partial class PermissionsPage : LiveComponentBase
{
    /// <summary>Who a decision made here is recorded as.</summary>
    public const string DashboardActor = "person (dashboard)";

    private const int HistoryShown = 100;

    private List<PermissionRequestSnapshot> _pending = [];
    private List<PermissionRequestSnapshot> _history = [];
    private readonly Dictionary<Guid, string> _taskTitles = [];
    private readonly Dictionary<Guid, string> _errors = [];
    private string _rememberScope = "project";
    private string? _denyMessage;

    /// <summary>The input box of each pending request, as the person edited it.</summary>
    private Dictionary<Guid, string> Edits { get; } = [];

    [SupplyParameterFromQuery(Name = "tab")]
    public int Tab { get; set; }

    [Inject]
    public required PermissionBroker Broker { get; init; }

    [Inject]
    public required TaskService Tasks { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    protected override EventKinds SubscribedKinds => EventKinds.PermissionRequested | EventKinds.TaskUpdated;

    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(10);

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _pending = [.. (await Broker.ListAsync(PermissionState.Pending, null, 500, cancellationToken)).OrderBy(r => r.RequestedAt)];
        _history = [.. (await Broker.ListAsync(null, null, HistoryShown, cancellationToken)).Where(r => r.State != PermissionState.Pending)];
        foreach (var request in _pending)
        {
            Edits.TryAdd(request.Id, Pretty(request.Input));
            await LoadTitleAsync(request, cancellationToken);
        }
    }

    protected override async Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        switch (coordinationEvent)
        {
            case PermissionRequested { Request: { State: PermissionState.Pending } request }:
                if (_pending.TrueForAll(r => r.Id != request.Id))
                {
                    _pending.Add(request);
                    Edits.TryAdd(request.Id, Pretty(request.Input));
                    await LoadTitleAsync(request, cancellationToken);
                }

                return true;
            case PermissionRequested { Request: var decided }:
                _pending.RemoveAll(r => r.Id == decided.Id);
                Edits.Remove(decided.Id);
                _errors.Remove(decided.Id);
                _history.Insert(0, decided);
                return true;
            case TaskChanged { Task: var task } when _taskTitles.ContainsKey(task.Id):
                _taskTitles[task.Id] = task.Title;
                return false;
            default:
                return false;
        }
    }

    private async Task DecideAsync(PermissionRequestSnapshot request, bool approve, bool remember)
    {
        _errors.Remove(request.Id);
        try
        {
            JsonElement? updated = null;
            var edited = Edits.GetValueOrDefault(request.Id);
            if (approve && edited is not null && edited != Pretty(request.Input))
            {
                updated = ParseEdit(edited);
            }

            await Broker.DecideAsync(request.Id,
                new PermissionDecision(approve, approve ? null : _denyMessage, updated, remember, _rememberScope), DashboardActor, ComponentToken);
            Snackbar.Add($"{request.ToolName} {(approve ? "approved" : "denied")}{(remember ? "; a rule now remembers it" : "")}.",
                approve ? Severity.Success : Severity.Info);
        }
        catch (DomainException ex)
        {
            _errors[request.Id] = ex.Message;
        }
    }

    private static JsonElement ParseEdit(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone()
                : throw new DomainException("The input must be a JSON object, as the tool received it.");
        }
        catch (JsonException ex)
        {
            throw new DomainException($"The input is not valid JSON: {ex.Message}");
        }
    }

    private async Task EnableNotificationsAsync()
    {
        var permission = await JS.InvokeAsync<string>("vibeEnsemble.enableNotifications");
        Snackbar.Add(permission == "granted" ? "The browser will tell you when a worker waits for you and this tab is in the background."
            : $"The browser answered '{permission}'; allow notifications for this site to be told in the background.", Severity.Info);
    }

    private async Task LoadTitleAsync(PermissionRequestSnapshot request, CancellationToken cancellationToken)
    {
        if (request.TaskId is { } taskId && !_taskTitles.ContainsKey(taskId))
        {
            try
            {
                _taskTitles[taskId] = (await Tasks.GetAsync(taskId, cancellationToken)).Task.Title;
            }
            catch (EntityNotFoundException)
            {
                _taskTitles[taskId] = "a removed task";
            }
        }
    }

    private string TaskLabel(Guid taskId) => $"task “{_taskTitles.GetValueOrDefault(taskId, taskId.ToString()[..8])}”";

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, s_indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Color StateColor(PermissionState state) => state switch
    {
        PermissionState.Approved => Color.Success,
        PermissionState.Denied => Color.Error,
        PermissionState.Expired => Color.Dark,
        _ => Color.Warning,
    };
}
