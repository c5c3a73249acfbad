using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// One spawned worker process with its pipes. On Linux it runs in a session (and process group) of its own, started
/// through <c>setsid</c> (an exec wrapper, not a shell), so stopping it reaches everything it started.
/// </summary>
internal sealed partial class WorkerProcess : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private static readonly string? s_setsid = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    private readonly Process _process;
    private readonly bool _ownGroup;
    private readonly HashSet<ProcessTree.Member> _descendants = [];

    private WorkerProcess(Process process, bool ownGroup)
    {
        _process = process;
        _ownGroup = ownGroup;
        Id = process.Id;
        StartTime = new DateTimeOffset(process.StartTime).ToUniversalTime();
    }

    public int Id { get; }

    public DateTimeOffset StartTime { get; }

    public StreamReader Output => _process.StandardOutput;

    public StreamReader Errors => _process.StandardError;

    public StreamWriter Input => _process.StandardInput;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the plan's executable with an argument list (never through a shell).</summary>
    /// <exception cref="WorkerStartException">The executable is missing or the OS refused to start it.</exception>
    public static WorkerProcess Start(LaunchPlan plan)
    {
        var info = new ProcessStartInfo
        {
            FileName = s_setsid ?? plan.Executable,
            WorkingDirectory = plan.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (s_setsid is not null)
        {
            info.ArgumentList.Add(plan.Executable);
        }

        foreach (var argument in plan.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in plan.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        try
        {
            var process = Process.Start(info) ?? throw new WorkerStartException($"'{plan.Executable}' did not start.");
            return new WorkerProcess(process, s_setsid is not null);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new WorkerStartException($"'{plan.Executable}' could not be started: {ex.Message}");
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Closes stdin so that Claude Code ends once it has answered (it waits for more turns otherwise).</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process is already gone: its stdin is closed anyway.
        }
    }

    /// <summary>
    /// Remembers the processes the worker has started so far, so that they can be stopped even after the worker
    /// itself has exited and they were re-parented. The supervisor calls it every few seconds while the worker runs.
    /// </summary>
    public void TrackDescendants()
    {
        if (!_process.HasExited)
        {
            lock (_descendants)
            {
                _descendants.UnionWith(ProcessTree.Descendants(Id));
            }
        }
    }

    /// <summary>
    /// SIGTERM to the worker's process group and every process it started, SIGKILL to all of them after
    /// <paramref name="grace"/> if anything is left.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        TrackDescendants();
        Signal(SigTerm);
        SignalDescendants(SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        // Children may outlive the leader (a Bash tool call), so they are killed whether or not it exited.
        TrackDescendants();
        Signal(SigKill);
        SignalDescendants(SigKill);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Stops a worker left over from before a restart: the PID must still be the process we started.</summary>
    public static bool StopLeftover(int processId, DateTimeOffset startedAt)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            var start = new DateTimeOffset(process.StartTime).ToUniversalTime();
            if ((start - startedAt).Duration() > TimeSpan.FromSeconds(1))
            {
                return false;
            }

            // Its Bash calls run in sessions of their own: found by parent before the worker goes, then killed too.
            var descendants = ProcessTree.Descendants(processId);
            if (!OperatingSystem.IsLinux() || kill(-processId, SigKill) != 0)
            {
                process.Kill(entireProcessTree: true);
            }

            ProcessTree.Signal(descendants, SigKill);

            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // No such process any more (or not ours to see).
            return false;
        }
    }

    public void Dispose() => _process.Dispose();

    internal static void SendSignal(int pid, int signal)
    {
        if (OperatingSystem.IsLinux())
        {
            kill(pid, signal);
        }
    }

    private void SignalDescendants(int signal)
    {
        ProcessTree.Member[] members;
        lock (_descendants)
        {
            members = [.. _descendants];
        }

        ProcessTree.Signal(members, signal);
    }

    private void Signal(int signal)
    {
        if (_ownGroup && kill(-Id, signal) == 0)
        {
            return;
        }

        if (!_process.HasExited && signal == SigKill)
        {
            _process.Kill(entireProcessTree: true);
        }
        else if (!_process.HasExited && !_ownGroup && signal == SigTerm && OperatingSystem.IsLinux())
        {
            kill(Id, SigTerm);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}

/// <summary>The worker could not be started at all (missing executable, directory, permissions).</summary>
public sealed class WorkerStartException(string message) : Exception(message);
