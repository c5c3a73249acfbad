namespace VibeEnsemble.Web.Hosting;

internal static class ContentRoot
{
    /// <summary>
    /// The folder holding <c>appsettings.json</c>: the working directory when it has one (dotnet run, tests),
    /// otherwise the application's own folder, so that launching the binary from anywhere (as MCP clients do for
    /// stdio servers) still finds its configuration. Null keeps the host's default.
    /// </summary>
    public static string? Resolve() =>
        File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")) ? null : AppContext.BaseDirectory;
}
