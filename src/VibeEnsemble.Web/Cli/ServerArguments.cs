using System.CommandLine;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Web.Cli;

/// <summary>
/// The options every command shares (where the data is, which ports and address the server uses), each a shorthand
/// for one configuration key, so that <c>serve</c>, <c>init</c> and <c>doctor</c> read the same settings. What a
/// command line sets is handed to configuration as <c>--Key=value</c>, above appsettings.json and the environment.
/// </summary>
internal static class ServerArguments
{
    // Declared first: static fields initialise in order, and each option below records its key here.
    private static readonly List<(Option Option, string Key)> s_all = [];

    public static readonly Option<string> Database = Text("--db", "path", StorageOptions.SectionName + ":DatabasePath",
        "SQLite database file", "<data-dir>/vibe-ensemble.db");

    public static readonly Option<string> DataDirectory = Text("--data-dir", "path", StorageOptions.SectionName + ":DataDirectory",
        "folder for the database, logs and token", StorageOptions.DefaultDataDirectory);

    public static readonly Option<int> DashboardPort = Port("--dashboard-port", "VibeEnsemble:Server:DashboardPort", "dashboard port", 8080);

    public static readonly Option<int> AgentPort = Port("--agent-port", "VibeEnsemble:Server:AgentPort", "MCP and native API port", 8081);

    public static readonly Option<string> Bind = Text("--bind", "address", "VibeEnsemble:Server:BindAddress",
        "address to listen on; beyond loopback every client needs the access token", "127.0.0.1");

    public static IEnumerable<Option> All => s_all.Select(o => o.Option);

    /// <summary>The configuration arguments for what this command line set, followed by the pass-through keys.</summary>
    public static string[] ToConfiguration(ParseResult result, IEnumerable<string> passThrough)
    {
        var args = new List<string>();
        foreach (var (option, key) in s_all)
        {
            if (result.GetResult(option) is { Implicit: false } given)
            {
                args.Add($"--{key}={given.GetValueOrDefault<object>()}");
            }
        }

        args.AddRange(passThrough);
        return [.. args];
    }

    /// <summary>
    /// Takes the configuration keys (<c>--Key value</c> or <c>--Key=value</c>, see <see cref="IsConfigurationKey"/>) out of the command line,
    /// since no parser can know them in advance; the rest is parsed. A key without a value (the end, or another option
    /// next) is left in, to be reported.
    /// </summary>
    public static (string[] Parsed, string[] PassThrough) SplitPassThrough(IReadOnlyList<string> args)
    {
        var rest = new List<string>();
        var passThrough = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!IsConfigurationKey(arg))
            {
                rest.Add(arg);
            }
            else if (arg.Contains('=', StringComparison.Ordinal))
            {
                passThrough.Add(arg);
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                passThrough.Add($"{arg}={args[++i]}");
            }
            else
            {
                rest.Add(arg);
            }
        }

        return ([.. rest], [.. passThrough]);
    }

    /// <summary>
    /// Configuration keys are PascalCase (<c>--VibeEnsemble:Server:AgentPort</c>, <c>--AllowedHosts</c>), apart from the
    /// host's own (<c>--environment</c>, which WebApplicationFactory passes too); options are lower-case words, so a
    /// mistyped option (<c>--agent-prot</c>) is still reported. <c>--agent-port:9000</c> is the parser's own
    /// "option:value" form, and stays with the parser.
    /// </summary>
    private static bool IsConfigurationKey(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
        {
            return false;
        }

        var name = arg[2..].Split('=', 2)[0];
        var section = name.Split(':', 2)[0];
        return char.IsAsciiLetterUpper(name[0])
            || section is "environment" or "contentRoot" or "applicationName"
            || (name.Contains(':', StringComparison.Ordinal) && !s_all.Any(o => o.Option.Name == "--" + section));
    }

    private static T Keyed<T>(T option, string key)
        where T : Option
    {
        s_all.Add((option, key));
        return option;
    }

    private static Option<string> Text(string name, string helpName, string key, string description, string defaultShown) => Keyed(new Option<string>(name)
    {
        HelpName = helpName,
        Description = $"{description} [default: {defaultShown}] [config: {key}]",
        Recursive = true,
    }, key);

    private static Option<int> Port(string name, string key, string description, int defaultShown) => Keyed(new Option<int>(name)
    {
        HelpName = "port",
        Description = $"{description} [default: {defaultShown}] [config: {key}]",
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
            {
                return port;
            }

            result.AddError($"{name} takes a port from 1 to 65535, not '{text}'.");
            return 0;
        },
    }, key);
}
