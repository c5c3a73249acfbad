using System.Reflection;
using Microsoft.Playwright;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Browser;

/// <summary>
/// The .NET tool as a user installs it: packed from this build, installed into a private tool path from a private
/// package source, started by its own command from a folder of the user's, and the dashboard loaded in chromium.
/// </summary>
public sealed class InstalledToolBrowserTests
{
    [Fact]
    public async Task InstalledTool_Started_ServesTheStyledDashboardFromItsPackage()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var root = new TempDirectory();
        var packages = Directory.CreateDirectory(root.File("packages")).FullName;
        var userProject = Directory.CreateDirectory(root.File("my-project")).FullName;
        var data = Directory.CreateDirectory(root.File("data")).FullName;
        // A user's own appsettings.json in the folder the tool starts in must not become the server's.
        await File.WriteAllTextAsync(Path.Combine(userProject, "appsettings.json"),
            """{"VibeEnsemble":{"Server":{"DashboardPort":"not a port"}}}""", cancellationToken);
        var configuration = typeof(InstalledToolBrowserTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var pack = await ProcessRunner.RunAsync("dotnet",
            ["pack", Path.Combine(RepoPaths.Root, "src", "VibeEnsemble.Web"), "--no-build", "-c", configuration, "-o", packages],
            RepoPaths.Root, cancellationToken);
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var package = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(packages, "vibe-ensemble.*.nupkg")));
        // Only the folder as a source: the test must not reach for (or be fooled by) a package of that name elsewhere.
        var nugetConfig = root.File("nuget.config");
        await File.WriteAllTextAsync(nugetConfig,
            $"""<configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""",
            cancellationToken);
        var tools = root.File("tools");
        var install = await ProcessRunner.RunAsync("dotnet",
            ["tool", "install", "vibe-ensemble", "--tool-path", tools, "--configfile", nugetConfig, "--version", package["vibe-ensemble.".Length..]],
            root.Path, cancellationToken);
        Assert.True(install.ExitCode == 0, install.ToString());

        // Act
        await using var server = await ServerProcess.StartAsync(
            new ServerCommand(Path.Combine(tools, "vibe-ensemble"), [], userProject), data, cancellationToken);
        await using var dashboard = await DashboardBrowser.OpenAsync(server, "/");
        var appBar = dashboard.Page.Locator(".mud-appbar");
        var position = await appBar.EvaluateAsync<string>("e => getComputedStyle(e).position");
        var display = await appBar.EvaluateAsync<string>("e => getComputedStyle(e).display");

        // Assert
        Assert.Contains($"Content root path: {tools}/.store/", server.Output, StringComparison.Ordinal);
        Assert.Equal("fixed", position);
        Assert.Equal("flex", display);
        // The first-run card's init command runs the installed tool (not on PATH here, so by its full path).
        await Assertions.Expect(dashboard.Page.GetByTestId("first-run-init"))
            .ToHaveTextAsync($"{tools}/vibe-ensemble init --agent-port {server.AgentUrl.Port}", new() { Timeout = DashboardBrowser.Timeout });
        Assert.True(File.Exists(Path.Combine(data, "vibe-ensemble.db")));
        await dashboard.ScreenshotAsync("installed-tool-dashboard.png");
    }
}
