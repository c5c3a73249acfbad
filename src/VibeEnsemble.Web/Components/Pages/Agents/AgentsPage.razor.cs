using Microsoft.AspNetCore.Components;
using VibeEnsemble.Domain.Agents;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Agents;

public sealed partial class AgentsPage : LiveComponentBase
{
    private List<AgentSnapshot> _agents = [];
    private bool _loading = true;
    private string? _filter;

    [Inject]
    public required AgentService Agents { get; init; }

    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(15);

    private int OnlineCount => _agents.Count(a => a.Status != AgentStatus.Offline);

    private IEnumerable<AgentSnapshot> Visible => string.IsNullOrWhiteSpace(_filter)
        ? _agents
        : _agents.Where(a => a.Name.Contains(_filter, StringComparison.OrdinalIgnoreCase)
            || a.Capabilities.Any(c => c.Contains(_filter, StringComparison.OrdinalIgnoreCase))
            || a.Groups.Any(g => g.Contains(_filter, StringComparison.OrdinalIgnoreCase)));

    protected override async Task LoadAsync(CancellationToken cancellationToken)
    {
        _agents = [.. await Agents.ListAsync(status: null, cancellationToken)];
        _loading = false;
    }

    // Heartbeats are not pushed (they would flood every circuit), so last-seen times are re-read from memory.
    protected override Task RefreshAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    protected override Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        if (coordinationEvent is not AgentChanged { Agent: var agent })
        {
            return Task.FromResult(false);
        }

        var index = _agents.FindIndex(a => a.Id == agent.Id);
        if (index >= 0)
        {
            _agents[index] = agent;
        }
        else
        {
            _agents.Add(agent);
            _agents.Sort((x, y) => StringComparer.OrdinalIgnoreCase.Compare(x.Name, y.Name));
        }

        return Task.FromResult(true);
    }

    private static string Describe(AgentSnapshot agent) =>
        (agent.Transport, agent.ClientName) switch
        {
            (null, _) => "",
            (var transport, null) => transport,
            (var transport, var client) => $"{transport} · {client}",
        };
}
