using Microsoft.AspNetCore.Components;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Infrastructure.Conflicts;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Conflicts;

/// <summary>
/// Active file reservations, live (each reservation change re-reads them; a timer drops the expired), with a release
/// button for the person. Detected conflicts are not built yet, and the page says so.
/// </summary>
public sealed partial class ConflictsPage : LiveComponentBase
{
    private List<ReservationSnapshot> _reservations = [];
    private string? _error;

    [Inject]
    public required ReservationService Reservations { get; init; }

    protected override EventKinds SubscribedKinds => EventKinds.Reservation;

    // Expiry raises no event: the list is read again every few seconds.
    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(5);

    protected override async Task LoadAsync(CancellationToken cancellationToken) =>
        _reservations = [.. await Reservations.ListAsync(null, null, cancellationToken)];

    protected override Task RefreshAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    protected override async Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return true;
    }

    private async Task ReleaseAsync(ReservationSnapshot reservation)
    {
        _error = null;
        try
        {
            await Reservations.ReleaseAnyAsync(reservation.Id, ComponentToken);
            await LoadAsync(ComponentToken);
        }
        catch (DomainException ex)
        {
            _error = ex.Message;
        }
    }
}
