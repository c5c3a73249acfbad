namespace VibeEnsemble.Web.Configuration;

/// <summary>The command line: a few flags of our own, the rest handed to configuration.</summary>
public sealed record LaunchOptions(bool Stdio, bool ShowHelp, string[] ConfigurationArgs)
{
    public const string Usage = """
        Vibe Ensemble: a local coordination server for Claude Code agents.

        Usage: vibe-ensemble [options]
               vibe-ensemble doctor [options]   check what the server needs, one line per check (exit 0 when all pass)
               vibe-ensemble init [dir] [--transport http|ws|sse|stdio] [--dry-run] [--force] [options]
                                                wire a project: .mcp.json, CLAUDE.md, /coordinate; register it

          --db <path>               SQLite database file (default: <data-dir>/vibe-ensemble.db)
          --data-dir <path>         folder for the database and logs (default: ~/.local/share/VibeEnsemble)
          --dashboard-port <port>   dashboard port (default 8080)
          --agent-port <port>       MCP and native API port (default 8081)
          --bind <address>          address to bind (default 127.0.0.1)
          --conformance             also serve the MCP conformance suite's fixture tools, resources and prompts
          --stdio                   speak MCP over stdin/stdout instead of serving HTTP (logs go to stderr)
          --help                    show this text

        Any configuration key can also be given as --Section:Key value, e.g. --Serilog:MinimumLevel:Default Debug.
        """;

    private static readonly Dictionary<string, string> s_switchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--db"] = "VibeEnsemble:Storage:DatabasePath",
        ["--data-dir"] = "VibeEnsemble:Storage:DataDirectory",
        ["--dashboard-port"] = "VibeEnsemble:Server:DashboardPort",
        ["--agent-port"] = "VibeEnsemble:Server:AgentPort",
        ["--bind"] = "VibeEnsemble:Server:BindAddress",
    };

    public static IDictionary<string, string> SwitchMappings => s_switchMappings;

    public static LaunchOptions Parse(string[] args)
    {
        var stdio = false;
        var help = false;
        var rest = new List<string>();
        foreach (var arg in args)
        {
            switch (arg.ToLowerInvariant())
            {
                case "--stdio":
                    stdio = true;
                    break;
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                case "--conformance":
                    rest.Add("--VibeEnsemble:Mcp:ConformanceFixtures=true");
                    break;
                default:
                    rest.Add(arg);
                    break;
            }
        }

        return new LaunchOptions(stdio, help, [.. rest]);
    }
}
