using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace VibeEnsemble.Benchmarks;

/// <summary>The real server in its own process, on free loopback ports and a throw-away data folder.</summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;

    private ServerUnderTest(Process process, string dataDirectory, int agentPort)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        AgentPort = agentPort;
    }

    public int AgentPort { get; }

    /// <summary>Resident memory of the server process, in MiB.</summary>
    public double ResidentMegabytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64 / (1024.0 * 1024.0);
        }
    }

    public static async Task<ServerUnderTest> StartAsync(string serverAssembly, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "vibe-bench", Guid.NewGuid().ToString("N"));
        int[] ports = [FreePort(), FreePort()];
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            serverAssembly, "--data-dir", dataDirectory, "--dashboard-port", $"{ports[0]}", "--agent-port", $"{ports[1]}",
            "--Serilog:MinimumLevel:Default", "Warning",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the server.");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        _ = Task.Run(async () =>
        {
            // Kestrel's "Now listening" lines are below Warning, so readiness is the agent port accepting connections.
            using var client = new HttpClient();
            while (!process.HasExited && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await client.GetAsync($"http://127.0.0.1:{ports[1]}/api/health", cancellationToken);
                    started.TrySetResult();
                    return;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }

            started.TrySetException(new InvalidOperationException("The server exited before it started."));
        }, cancellationToken);
        process.BeginOutputReadLine();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return new ServerUnderTest(process, dataDirectory, ports[1]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
