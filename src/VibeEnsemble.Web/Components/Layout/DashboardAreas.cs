using MudBlazor;

namespace VibeEnsemble.Web.Components.Layout;

/// <summary>One entry of the dashboard's navigation.</summary>
public sealed record DashboardArea(string Title, string Href, string Icon);

/// <summary>Every area of the dashboard, in navigation order.</summary>
public static class DashboardAreas
{
    public static IReadOnlyList<DashboardArea> All { get; } =
    [
        new("Overview", "", Icons.Material.Filled.Dashboard),
        new("Agents", "agents", Icons.Material.Filled.SmartToy),
        new("Tasks", "tasks", Icons.Material.Filled.Checklist),
        new("Workers", "workers", Icons.Material.Filled.Terminal),
        new("Permissions", "permissions", Icons.Material.Filled.Gavel),
        new("Messages", "messages", Icons.Material.Filled.Forum),
        new("Knowledge", "knowledge", Icons.Material.Filled.MenuBook),
        new("Issues", "issues", Icons.Material.Filled.BugReport),
        new("Conflicts", "conflicts", Icons.Material.Filled.CallSplit),
        new("Settings", "settings", Icons.Material.Filled.Settings),
    ];
}
