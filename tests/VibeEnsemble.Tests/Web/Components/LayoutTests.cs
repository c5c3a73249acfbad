using Bunit;
using MudBlazor;
using VibeEnsemble.Web.Components.Layout;
using VibeEnsemble.Web.Components.Pages;

namespace VibeEnsemble.Tests.Web.Components;

public sealed class LayoutTests : DashboardTestContext
{
    [Fact]
    public void MainLayout_Rendered_LinksEveryAreaOfTheDashboard()
    {
        // Arrange + Act
        var cut = Render<MainLayout>(parameters => parameters.Add(p => p.Body, builder => builder.AddContent(0, "body")));

        // Assert
        var links = cut.FindComponents<MudNavLink>().Select(l => (l.Instance.Href, Text: l.Find("a").TextContent.Trim())).ToList();
        Assert.Equal(
            ["Overview", "Agents", "Tasks", "Workers", "Permissions", "Messages", "Knowledge", "Issues", "Conflicts", "Settings"],
            links.Select(l => l.Text));
        Assert.Equal(["", "agents", "tasks", "workers", "permissions", "messages", "knowledge", "issues", "conflicts", "settings"],
            links.Select(l => l.Href));
        Assert.Equal("true", cut.Find("[data-interactive]").GetAttribute("data-interactive"));
    }

    [Fact]
    public void Settings_Rendered_ShowsTheConnectCommands()
    {
        // Arrange + Act
        var cut = Render<Settings>();

        // Assert
        Assert.Contains("claude mcp add --transport http vibe-ensemble http://127.0.0.1:8081/mcp", cut.Markup);
        Assert.Contains("""{"type":"ws","url":"ws://127.0.0.1:8081/mcp/ws"}""", cut.Markup.Replace("&quot;", "\""));
    }
}
