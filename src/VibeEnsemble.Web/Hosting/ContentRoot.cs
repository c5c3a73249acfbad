namespace VibeEnsemble.Web.Hosting;

internal static class ContentRoot
{
    /// <summary>
    /// The folder holding <c>appsettings.json</c>: the working directory when it is this project's own folder (dotnet
    /// run there, where edits to the settings apply without a build), otherwise the application's folder. Any other
    /// working directory is a user's project (the installed tool, an MCP client starting the stdio server), and its
    /// own <c>appsettings.json</c>, if it has one, must not become ours.
    /// </summary>
    public static string Resolve()
    {
        var current = Directory.GetCurrentDirectory();
        return File.Exists(Path.Combine(current, "appsettings.json")) && File.Exists(Path.Combine(current, "VibeEnsemble.Web.csproj"))
            ? current
            : AppContext.BaseDirectory;
    }
}
