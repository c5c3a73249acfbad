using Microsoft.AspNetCore.Components;
using MudBlazor;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Stats;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Web.Components.Shared;

namespace VibeEnsemble.Web.Components.Pages.Overview;

public sealed partial class OverviewPage : LiveComponentBase
{
    private CoordinationStats? _stats;
    private bool _countsStale;

    [Inject]
    public required StatsService Stats { get; init; }

    [Inject]
    public required Microsoft.Extensions.Options.IOptions<Configuration.ServerOptions> Server { get; init; }

    // This very program (the installed tool, or this build), so the command works from any folder on this machine.
    private string InitCommand => Hosting.SelfCommand.ForShell("init", "--agent-port", Server.Value.AgentPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private string ClaudeCommand =>
        $"claude mcp add --transport http vibe-ensemble \"{Hosting.ConnectLines.AgentUrl(Server.Value)}/mcp?role=coordinator\"";

    // Task counts are read from the database at most this often, however many tasks change meanwhile.
    protected override TimeSpan? RefreshInterval => TimeSpan.FromSeconds(2);

    protected override async Task LoadAsync(CancellationToken cancellationToken) =>
        _stats = await Stats.GetAsync(cancellationToken);

    protected override async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_countsStale)
        {
            _countsStale = false;
            await LoadAsync(cancellationToken);
        }
    }

    protected override Task<bool> ApplyAsync(CoordinationEvent coordinationEvent, CancellationToken cancellationToken)
    {
        switch (coordinationEvent)
        {
            case TaskChanged or WorkerChanged:
                _countsStale = true;
                return Task.FromResult(false);
            case AgentChanged when _stats is not null:
                // Agent counts come from memory; a thousand agents joining must not mean a thousand queries.
                _stats = Stats.WithAgentCounts(_stats);
                return Task.FromResult(true);
            default:
                return Task.FromResult(false);
        }
    }

    private static IEnumerable<Counter> Counters(CoordinationStats stats) =>
    [
        new("agents-online", "Agents online", stats.AgentsOnline, $"{stats.AgentsTotal} known", Icons.Material.Filled.SmartToy),
        new("tasks-open", "Open tasks", stats.TasksOpen, $"{stats.TasksTotal} in total", Icons.Material.Filled.Checklist),
        new("workers-running", "Workers running", stats.WorkersRunning, $"{stats.WorkersTotal} spawned so far", Icons.Material.Filled.Terminal),
        new("messages", "Messages", stats.Messages, "sent between agents", Icons.Material.Filled.Forum),
        new("knowledge", "Knowledge entries", stats.KnowledgeEntries, "shared by agents", Icons.Material.Filled.MenuBook),
        new("issues-open", "Open issues", stats.IssuesOpen, "open or in progress", Icons.Material.Filled.BugReport),
        new("conflicts-open", "Open conflicts", stats.ConflictsOpen, "file claims that collide", Icons.Material.Filled.CallSplit),
        new("permissions-pending", "Permission requests", stats.PermissionRequestsPending, "waiting for a decision", Icons.Material.Filled.Gavel),
    ];

    private sealed record Counter(string Key, string Title, int Value, string Detail, string Icon);
}
