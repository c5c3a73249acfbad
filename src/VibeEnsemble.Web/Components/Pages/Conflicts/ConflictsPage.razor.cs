using Microsoft.AspNetCore.Components;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Conflicts;
using VibeEnsemble.Infrastructure.Conflicts;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Conflicts;

/// <summary>
/// Open conflicts, live, with the facts side by side and the person's decisions; active reservations with a release
/// button; hot spots; the history of settled conflicts. A scan can be run on demand.
/// </summary>
public sealed partial class ConflictsPage : LiveComponentBase
{
    private const string Person = "a person";

    private List<ConflictSnapshot> _open = [];
    private List<ConflictSnapshot> _history = [];
    private List<ReservationSnapshot> _reservations = [];
    private IReadOnlyList<HotSpot> _hotSpots = [];
    private string _historyState = "all";
    private ConflictScanReport? _lastScan;
    private bool _scanning;
    private string? _error;

    [Inject]
    public required ReservationService Reservations { get; init; }

    [Inject]
    public required ConflictService Conflicts { get; init; }

    protected override EventKinds SubscribedKinds => EventKinds.Reservation | EventKinds.Conflict;

    // Expiry raises no event: reservations are read again every few seconds.
    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(5);

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadReservationsAsync(cancellationToken);
        await LoadConflictsAsync(cancellationToken);
    }

    protected override Task RefreshAsync(CancellationToken cancellationToken) => LoadReservationsAsync(cancellationToken);

    protected override async Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        if (coordinationEvent is ConflictChanged)
        {
            await LoadConflictsAsync(cancellationToken);
        }
        else
        {
            await LoadReservationsAsync(cancellationToken);
        }

        return true;
    }

    private async Task LoadReservationsAsync(CancellationToken cancellationToken) =>
        _reservations = [.. await Reservations.ListAsync(null, null, cancellationToken)];

    private async Task LoadConflictsAsync(CancellationToken cancellationToken)
    {
        _open = [.. (await Conflicts.ListAsync("open", null, 100, cancellationToken)).OrderByDescending(c => c.Severity).ThenByDescending(c => c.DetectedAt)];
        _history = [.. (await Conflicts.ListAsync(_historyState, null, 100, cancellationToken)).Where(c => c.State != ConflictState.Open)];
        _hotSpots = await Conflicts.HotSpotsAsync(null, cancellationToken);
    }

    private async Task HistoryStateChanged(string state)
    {
        _historyState = state;
        await LoadConflictsAsync(ComponentToken);
    }

    private async Task ScanAsync()
    {
        _scanning = true;
        await ActAsync(async () => _lastScan = await Conflicts.ScanAsync(ComponentToken));
        _scanning = false;
    }

    private Task DecideAsync(ConflictSnapshot conflict, string outcome, string? reason) => ActAsync(async () =>
    {
        if (outcome == "escalate")
        {
            await Conflicts.EscalateAsync(conflict.Id.ToString(), reason, Person, ComponentToken);
        }
        else
        {
            await Conflicts.ResolveAsync(new ResolveConflictRequest(conflict.Id.ToString(), outcome, reason), Person, ComponentToken);
        }

        await LoadConflictsAsync(ComponentToken);
    });

    private Task ReleaseAsync(ReservationSnapshot reservation) => ActAsync(async () =>
    {
        await Reservations.ReleaseAnyAsync(reservation.Id, ComponentToken);
        await LoadReservationsAsync(ComponentToken);
    });

    private async Task ActAsync(Func<Task> action)
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
