using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;

namespace VibeEnsemble.Tests.Support;

/// <summary>
/// The real server, started as its own process on free loopback ports with a private data folder, exactly as a
/// user would run it. Ready once Kestrel reports it has started.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    // Exit code 3 is also a data folder another server holds; only the ports are worth another try.
    private const int InUseExitCode = 3;
    private const string PortsInUse = "Choose other ports";

    private readonly Process _process;
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, string dataDirectory, int dashboardPort, int agentPort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        DashboardUrl = new Uri($"http://127.0.0.1:{dashboardPort}");
        AgentUrl = new Uri($"http://127.0.0.1:{agentPort}");
    }

    public string DataDirectory { get; }

    /// <summary>The server's resident memory now, from /proc, in MiB.</summary>
    public double ResidentMegabytes =>
        File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] is var kb ? double.Parse(kb) / 1024 : 0;

    /// <summary>File descriptors the server holds now (sockets included), from /proc.</summary>
    public int OpenFileHandles => Directory.GetFiles($"/proc/{_process.Id}/fd").Length;

    public Uri DashboardUrl { get; }

    public Uri AgentUrl { get; }

    public Uri AgentWebSocketUrl => new($"ws://{AgentUrl.Authority}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<ServerProcess> StartAsync(
        string dataDirectory, CancellationToken cancellationToken, params string[] extraArguments) =>
        StartAsync(ServerCommand.ThisBuild(), dataDirectory, cancellationToken, extraArguments);

    /// <summary>The server from another place than this build (the installed .NET tool), run from <paramref name="command"/>'s folder.</summary>
    public static async Task<ServerProcess> StartAsync(
        ServerCommand command, string dataDirectory, CancellationToken cancellationToken, params string[] extraArguments)
    {
        // Another test may grab a port between our probe and the server's bind; the server then exits with 3.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(command, dataDirectory, cancellationToken, extraArguments);
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<ServerProcess> StartOnFreePortsAsync(
        ServerCommand command, string dataDirectory, CancellationToken cancellationToken, string[] extraArguments)
    {
        var ports = FreePorts.Take(2);
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in command.Environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        string[] arguments =
        [
            .. command.Arguments, "--data-dir", dataDirectory,
            "--dashboard-port", ports[0].ToString(), "--agent-port", ports[1].ToString(), .. extraArguments,
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the server.");
        var server = new ServerProcess(process, dataDirectory, ports[0], ports[1]);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            // Not the Exited event: it can fire before the last lines are read, and a server that refuses to start
            // says why in exactly those lines. WaitForExitAsync completes only once both streams are drained.
            var exited = process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAny(server._started.Task, exited).WaitAsync(TestConstants.DefaultTimeout, cancellationToken);
            if (!server._started.Task.IsCompleted)
            {
                throw process.ExitCode == InUseExitCode && server.Output.Contains(PortsInUse, StringComparison.Ordinal)
                    ? new PortTakenException()
                    : new InvalidOperationException($"The server exited with {process.ExitCode} before starting:\n{server.Output}");
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public HttpClient CreateDashboardClient() => new() { BaseAddress = DashboardUrl };

    public async Task<T?> GetJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var client = CreateDashboardClient();
        return await client.GetFromJsonAsync<T>(path, Json.Options, cancellationToken);
    }

    /// <summary>Asks the server to stop (SIGTERM, as Ctrl+C or a service manager would) and waits for it to exit.</summary>
    public async Task<int> StopGracefullyAsync(CancellationToken cancellationToken)
    {
        var signal = await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString()], RepoPaths.Root, cancellationToken);
        Assert.True(signal.ExitCode == 0, signal.ToString());
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TestConstants.DefaultTimeout, cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>
    /// SIGKILL to the server process alone, as a crash would: the workers it spawned live on, in their own
    /// sessions, for the restarted server to find.
    /// </summary>
    public async Task CrashAsync(CancellationToken cancellationToken)
    {
        var signal = await ProcessRunner.RunAsync("kill", ["-KILL", _process.Id.ToString()], RepoPaths.Root, cancellationToken);
        Assert.True(signal.ExitCode == 0, signal.ToString());
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TestConstants.DefaultTimeout, cancellationToken);
    }

    /// <summary>Ends the process and everything it started abruptly, as a power cut would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>Completes when the server has printed a line containing <paramref name="text"/> (now or later).</summary>
    public Task WaitForOutputAsync(string text, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((text, seen));
        }

        return seen.Task.WaitAsync(TestConstants.DefaultTimeout, cancellationToken);
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult();
            }
        }

        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    private sealed class PortTakenException : Exception;
}

/// <summary>
/// How to start a server: the program, the arguments before ours, the folder to start it in, and environment
/// variables to set on top of the test's own.
/// </summary>
internal sealed record ServerCommand(
    string FileName,
    string[] Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>This build's server, as the usual <see cref="ServerProcess"/> start runs it.</summary>
    public static ServerCommand ThisBuild(IReadOnlyDictionary<string, string>? environment = null) =>
        new("dotnet", [RepoPaths.ServerAssembly], RepoPaths.ServerDirectory, environment);
}
