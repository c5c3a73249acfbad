using System.CommandLine;
using System.CommandLine.Invocation;

namespace VibeEnsemble.Web.Cli;

/// <summary>
/// The command line (ADR-013): <c>vibe-ensemble [serve]</c>, <c>init</c>, <c>doctor</c>, <c>--version</c>, with
/// <c>--help</c> on each. Parsed by System.CommandLine; every mistake is one line naming the option on stderr and exit
/// code 2. Exit codes: 0 done, 1 <c>doctor</c> or <c>init</c> found problems, 2 a bad command line or configuration,
/// 3 a port or the data folder in use, 4 a database from a newer version or a file that is not one.
/// </summary>
internal static class VibeCommandLine
{
    public const int BadUsage = 2;

    private static readonly Option<bool> s_stdio = new("--stdio")
    {
        Description = "speak MCP over stdin/stdout instead of serving HTTP, for clients that start their server (logs go to stderr)",
    };

    private static readonly Option<bool> s_conformance = new("--conformance")
    {
        Description = "also serve the MCP conformance suite's fixture tools, resources and prompts [config: VibeEnsemble:Mcp:ConformanceFixtures]",
    };

    private static readonly Argument<string?> s_initFolder = new("dir")
    {
        Description = "the project folder [default: the current folder]",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string> s_transport = new("--transport")
    {
        HelpName = "http|ws|sse|stdio",
        Description = "the transport written into .mcp.json (http is Streamable HTTP)",
        DefaultValueFactory = _ => "http",
        Validators =
        {
            r =>
            {
                if (r.GetValueOrDefault<string>() is not ("http" or "ws" or "sse" or "stdio"))
                {
                    r.AddError($"--transport takes http (default), ws, sse or stdio, not '{r.Tokens.FirstOrDefault()?.Value}'.");
                }
            },
        },
    };

    private static readonly Option<bool> s_dryRun = new("--dry-run") { Description = "say what would change and change nothing" };

    private static readonly Option<bool> s_force = new("--force")
    {
        Description = "replace a different existing vibe-ensemble entry or /coordinate command",
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (rest, passThrough) = ServerArguments.SplitPassThrough(args);
        var root = Build(passThrough, output, error);
        // "@file" arguments are System.CommandLine's response files; here they could only be a value, so left alone.
        var result = root.Parse(rest, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Action is ParseErrorAction)
        {
            var command = result.CommandResult.Command == root ? "vibe-ensemble" : $"vibe-ensemble {result.CommandResult.Command.Name}";
            foreach (var problem in result.Errors.Select(e => e.Message).Distinct())
            {
                await error.WriteLineAsync($"{problem} See '{command} --help'.");
            }

            return BadUsage;
        }

        // Ctrl+C and SIGTERM belong to the host, which stops gracefully (closing sockets, flushing presence) and exits 0.
        return await result.InvokeAsync(new InvocationConfiguration
        {
            Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        });
    }

    private static RootCommand Build(string[] passThrough, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("""
            Vibe Ensemble: a local coordination server for Claude Code agents, with a live dashboard.

            Without a command it serves (the same as 'serve'). Any configuration key can also be given on any
            command as --Key=value (or --Key value), e.g. --Serilog:MinimumLevel:Default=Debug or --AllowedHosts=*;
            the [config: ...] key of each option below is the same setting in appsettings.json or the environment
            (VibeEnsemble__Server__AgentPort=9091).
            """);
        foreach (var option in ServerArguments.All)
        {
            root.Options.Add(option);
        }

        AddServeOptions(root);
        root.SetAction((parse, cancellationToken) => Serve(parse, passThrough, error));

        var serve = new Command("serve", "Run the server: the dashboard, and MCP and the native API for agents (the default command).");
        AddServeOptions(serve);
        serve.SetAction((parse, cancellationToken) => Serve(parse, passThrough, error));
        root.Subcommands.Add(serve);

        var init = new Command("init", "Wire a project to the server: .mcp.json, a section of CLAUDE.md, the /coordinate command; register it with the running server.")
        {
            s_initFolder, s_transport, s_dryRun, s_force,
        };
        init.SetAction((parse, cancellationToken) => ProjectInit.RunAsync(
            parse.GetValue(s_initFolder), parse.GetValue(s_transport)!, parse.GetValue(s_dryRun), parse.GetValue(s_force),
            ServerArguments.ToConfiguration(parse, passThrough), output, error));
        root.Subcommands.Add(init);

        var doctor = new Command("doctor", "Check what the server needs, one line each with the fix; exit code 0 only when all pass.");
        doctor.SetAction((parse, cancellationToken) => Doctor.RunAsync(ServerArguments.ToConfiguration(parse, passThrough), output));
        root.Subcommands.Add(doctor);
        return root;
    }

    private static void AddServeOptions(Command command)
    {
        command.Options.Add(s_stdio);
        command.Options.Add(s_conformance);
    }

    private static Task<int> Serve(ParseResult parse, string[] passThrough, TextWriter error)
    {
        var configuration = ServerArguments.ToConfiguration(parse, passThrough);
        if (parse.GetValue(s_conformance))
        {
            configuration = [.. configuration, "--VibeEnsemble:Mcp:ConformanceFixtures=true"];
        }

        return ServeCommand.RunAsync(parse.GetValue(s_stdio), configuration, error);
    }
}
