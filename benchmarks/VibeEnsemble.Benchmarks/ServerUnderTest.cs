using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using System.Net;
using System.Net.Sockets;

namespace VibeEnsemble.Benchmarks;

/// <summary>The real server in its own process, on free loopback ports and a throw-away data folder.</summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private ServerUnderTest(Process process, int agentPort)
    {
        _process = process;
        AgentPort = agentPort;
    }

    public int AgentPort { get; }

    /// <summary>File descriptors the server holds now (sockets included).</summary>
    public int OpenFileHandles => Directory.GetFiles($"/proc/{_process.Id}/fd").Length;

    /// <summary>CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Resident memory and the managed heap after a full garbage collection, induced over EventPipe as dotnet-gcdump
    /// does, so that what is read is what the server holds and not garbage that no collection has needed to reclaim
    /// yet. The heap size is the collector's own figure for that collection (every generation, after it).
    /// </summary>
    public async Task<MemoryReading> MemoryAfterGcAsync()
    {
        var client = new DiagnosticsClient(_process.Id);
        const long gc = 0x1, gcHeapCollect = 0x800000;
        double heapBytes = 0;
        using (var session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, gc | gcHeapCollect)], requestRundown: false))
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCHeapStats += stats => heapBytes = stats.TotalHeapSize;
            var process = Task.Run(source.Process);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await session.StopAsync(CancellationToken.None);
            await process;
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        return new MemoryReading(ResidentMegabytes, heapBytes / (1024.0 * 1024.0));
    }

    /// <summary>Resident memory of the server process, in MiB.</summary>
    public double ResidentMegabytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64 / (1024.0 * 1024.0);
        }
    }

    /// <summary>Starts the server on <paramref name="dataDirectory"/>, which outlives it (the caller deletes it).</summary>
    public static async Task<ServerUnderTest> StartAsync(
        string serverAssembly, string dataDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        int[] ports = [FreePort(), FreePort()];
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

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
        return new ServerUnderTest(process, ports[1]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Resident memory of the server and the live size of its managed heap, in MiB.</summary>
internal readonly record struct MemoryReading(double ResidentMegabytes, double HeapMegabytes);
