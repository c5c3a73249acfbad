using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Web.Configuration;

using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Web.Cli;

/// <summary>
/// <c>vibe-ensemble doctor</c>: checks what the server needs, with the configuration a start would use, and prints one
/// line per check, ✔ or ✘ with the fix. Exit code 0 only when every check passes. Nothing is changed (the data folder
/// is created if missing, as a start would).
/// </summary>
internal static class Doctor
{
    /// <summary>The Claude Code version the test suite drives (tests/js/package.json; a test keeps them equal).</summary>
    public const string PinnedClaudeCodeVersion = "2.1.332";

    /// <summary>One line of the report; <paramref name="OurServer"/>: a port our running server holds.</summary>
    private sealed record Check(bool Passed, string Line, bool OurServer = false);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        await using var app = WebServer.CreateBuilder(args).Build();
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var workers = app.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var dashboardPort = await PortAsync("dashboard", server.BindAddress, server.DashboardPort, "--dashboard-port", timeout.Token);
        var agentPort = await PortAsync("agent", server.BindAddress, server.AgentPort, "--agent-port", timeout.Token);
        List<Check> checks =
        [
            new(true, $"✔ .NET {Environment.Version}"),
            DataDirectory(storage),
            await DatabaseAsync(storage, timeout.Token),
            dashboardPort,
            agentPort,
            DataFolderServed(storage, ourServerRuns: dashboardPort.OurServer || agentPort.OurServer),
            await ClaudeAsync(workers.ClaudePath, timeout.Token),
            await GitAsync(timeout.Token),
            Token(server, storage),
            ProjectConfig(server),
        ];
        foreach (var check in checks.Where(c => c.Line.Length > 0))
        {
            await output.WriteLineAsync(check.Line);
        }

        var failed = checks.Count(c => !c.Passed);
        await output.WriteLineAsync(failed == 0 ? "Everything the server needs is in place." : $"{failed} problem(s) to fix.");
        return failed == 0 ? 0 : 1;
    }

    private static Check DataDirectory(StorageOptions storage)
    {
        try
        {
            PrivateFolder.Create(storage.DataDirectory);
            var probe = Path.Combine(storage.DataDirectory, $".doctor-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return new(true, $"✔ data directory {storage.DataDirectory} is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new(false, $"✘ data directory {storage.DataDirectory} is not writable ({ex.Message}) — fix its permissions or choose another with --data-dir");
        }
    }

    private static async Task<Check> DatabaseAsync(StorageOptions storage, CancellationToken cancellationToken)
    {
        try
        {
            var status = await DatabaseInitializer.StatusAsync(storage.DatabasePath, cancellationToken);
            return status switch
            {
                { Exists: false } => new(true, $"✔ database {storage.DatabasePath} will be created at the first start"),
                { Unknown: { } unknown } => new(false,
                    $"✘ database {storage.DatabasePath} was written by a newer version (migration {unknown}) — run that version, or use another --data-dir"),
                { Pending: > 0 } => new(true, $"✔ database {storage.DatabasePath} is readable; {status.Pending} migration(s) will be applied at the next start, after a backup"),
                _ => new(true, $"✔ database {storage.DatabasePath} is readable and up to date"),
            };
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            return new(false, $"✘ database {storage.DatabasePath} cannot be read ({ex.Message}) — restore a .bak beside it or move it away");
        }
    }

    /// <summary>
    /// A data folder that a server holds (<see cref="DataFolderLock"/>) is fine when that server is the one on these
    /// ports; held by one on other ports, a start here would be refused. Not held: nothing to say.
    /// </summary>
    private static Check DataFolderServed(StorageOptions storage, bool ourServerRuns)
    {
        try
        {
            return !DataFolderLock.IsHeld(storage.DataDirectory) ? new(true, "")
                : ourServerRuns ? new(true, $"✔ data directory {storage.DataDirectory} is served by the server on these ports")
                : new(false, $"✘ data directory {storage.DataDirectory} is served by another Vibe Ensemble server on other ports — use that one, stop it, or choose another with --data-dir");
        }
        catch (UnauthorizedAccessException ex)
        {
            return new(false, $"✘ data directory {storage.DataDirectory} cannot be used ({ex.Message}) — fix its permissions or choose another with --data-dir");
        }
    }

    /// <summary>A port is fine when free, or when our own server already listens on it.</summary>
    private static async Task<Check> PortAsync(string name, string bind, int port, string flag, CancellationToken cancellationToken)
    {
        var address = IPAddress.TryParse(bind, out var parsed) ? parsed : IPAddress.Loopback;
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return new(true, $"✔ {name} port {port} is free");
        }
        catch (SocketException)
        {
        }

        var host = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "127.0.0.1" : bind;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port}/api/health"), cancellationToken));
            if (health.RootElement.TryGetProperty("database", out _) && health.RootElement.TryGetProperty("version", out var version))
            {
                return new(true, $"✔ {name} port {port} is held by a running Vibe Ensemble {version.GetString()}", OurServer: true);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
        }

        return new(false, $"✘ {name} port {port} is taken by another program — stop it, or choose another port with {flag}");
    }

    private static async Task<Check> ClaudeAsync(string claudePath, CancellationToken cancellationToken)
    {
        string executable;
        try
        {
            executable = LaunchPlan.ResolveExecutable(claudePath);
        }
        catch (WorkerStartException)
        {
            return new(false, $"✘ Claude Code ('{claudePath}') was not found, so no worker can be spawned — install it (npm install -g @anthropic-ai/claude-code) or set VibeEnsemble:Workers:ClaudePath");
        }

        var version = await VersionAsync(executable, cancellationToken);
        return version is null
            ? new(false, $"✘ Claude Code at {executable} does not answer --version — reinstall it or set VibeEnsemble:Workers:ClaudePath")
            : new(true, $"✔ Claude Code {version} at {executable}" + (version.StartsWith(PinnedClaudeCodeVersion, StringComparison.Ordinal)
                ? " (the version the tests pin)"
                : $" (the tests pin {PinnedClaudeCodeVersion}; others usually work)"));
    }

    private static async Task<Check> GitAsync(CancellationToken cancellationToken)
    {
        try
        {
            var git = LaunchPlan.ResolveExecutable("git");
            return await VersionAsync(git, cancellationToken) is { } version
                ? new(true, $"✔ {version}")
                : new(false, "✘ git does not answer --version — reinstall git (worktree isolation needs it)");
        }
        catch (WorkerStartException)
        {
            return new(false, "✘ git was not found — install git (worktree isolation and conflict checks need it)");
        }
    }

    private static Check Token(ServerOptions server, StorageOptions storage)
    {
        var exposed = !(IPAddress.TryParse(server.BindAddress, out var address) && IPAddress.IsLoopback(address));
        if (!exposed && !server.RequireToken)
        {
            return new(true, "✔ bound to loopback: no access token needed");
        }

        if (!string.IsNullOrEmpty(server.AccessToken))
        {
            return new(true, "✔ access token configured (VibeEnsemble:Server:AccessToken)");
        }

        var file = Path.Combine(storage.DataDirectory, AccessTokens.FileName);
        if (!File.Exists(file))
        {
            return new(true, $"✔ access token will be generated into {file} at the first start");
        }

        if (OperatingSystem.IsWindows())
        {
            return new(true, $"✔ access token in {file}");
        }

        var mode = File.GetUnixFileMode(file);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) == 0
            ? new(true, $"✔ access token in {file}, readable by you only")
            : new(false, $"✘ access token file {file} is readable by others — chmod 600 {file}");
    }

    /// <summary>Inside a project with a .mcp.json, whether its vibe-ensemble entry points at this server.</summary>
    private static Check ProjectConfig(ServerOptions server)
    {
        var path = Path.Combine(Environment.CurrentDirectory, ".mcp.json");
        if (!File.Exists(path))
        {
            return new(true, "");
        }

        try
        {
            using var config = JsonDocument.Parse(File.ReadAllText(path));
            if (!config.RootElement.TryGetProperty("mcpServers", out var servers) || !servers.TryGetProperty("vibe-ensemble", out var entry))
            {
                return new(false, $"✘ {path} has no vibe-ensemble server — add it with claude mcp add (the line the server prints at start)");
            }

            var url = entry.TryGetProperty("url", out var u) ? u.GetString() : null;
            return url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port == server.AgentPort
                ? new(true, $"✔ {path} points at this server ({url})")
                : new(false, $"✘ {path} points vibe-ensemble at {url ?? "a command"}, not at port {server.AgentPort} — update its url");
        }
        catch (JsonException ex)
        {
            return new(false, $"✘ {path} is not valid JSON ({ex.Message}) — fix it");
        }
    }

    private static async Task<string?> VersionAsync(string executable, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(executable, "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var text = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 && text.Trim() is { Length: > 0 } version ? version.Split('\n')[0] : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or OperationCanceledException)
        {
            return null;
        }
    }
}
