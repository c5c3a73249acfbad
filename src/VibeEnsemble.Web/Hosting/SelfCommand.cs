namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// How to start this same program again from any folder on this machine: the installed tool by its own executable,
/// a build by <c>dotnet path/to/VibeEnsemble.Web.dll</c>. Used for the commands shown to a person (the first-run card)
/// and written for MCP clients (<c>init --transport stdio</c>).
/// </summary>
internal static class SelfCommand
{
    /// <summary>The .NET tool's command name (ToolCommandName in the project file).</summary>
    public const string ToolCommand = "vibe-ensemble";

    /// <summary>
    /// The program and its leading arguments. <paramref name="shortName"/> gives the tool's bare name when PATH finds
    /// this very executable (what a person types); MCP clients get full paths, since their PATH may differ.
    /// </summary>
    public static (string FileName, string[] Arguments) Resolve(bool shortName)
    {
        // Our own executable: the tool's command, or the apphost of a build or publish. Anything else (dotnet, a test
        // host) runs the assembly.
        var process = Environment.ProcessPath;
        if (process is null || Path.GetFileNameWithoutExtension(process) is not (ToolCommand or "VibeEnsemble.Web"))
        {
            return ("dotnet", [typeof(SelfCommand).Assembly.Location]);
        }

        return (shortName && IsWhatPathFinds(process) ? Path.GetFileName(process) : process, []);
    }

    /// <summary>A shell command line for this program followed by <paramref name="arguments"/>, quoted where needed.</summary>
    public static string ForShell(params string[] arguments)
    {
        var (fileName, leading) = Resolve(shortName: true);
        return string.Join(' ', leading.Prepend(fileName).Concat(arguments).Select(Quote));
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '=' or '+' or ',')
            ? argument
            : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static bool IsWhatPathFinds(string process)
    {
        var name = Path.GetFileName(process);
        var first = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
        return first is not null && Path.GetFullPath(first) == Path.GetFullPath(process);
    }
}
