using System.Globalization;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// The processes a worker started, found from /proc by parent PID. Needed because Claude Code runs each Bash tool
/// call in a process group and session of its own (measured with 2.1.x), so signalling the worker's group misses
/// them, and once the worker exits they are re-parented and no longer findable from it. Each process is recorded
/// with its start time, so a PID reused by an unrelated process is never signalled.
/// </summary>
internal static class ProcessTree
{
    public readonly record struct Member(int Pid, long StartTicks);

    /// <summary>Every live descendant of <paramref name="root"/> (not the root itself); empty off Linux.</summary>
    public static IReadOnlyList<Member> Descendants(int root)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var children = new Dictionary<int, List<Member>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } stat)
            {
                if (!children.TryGetValue(stat.ParentPid, out var list))
                {
                    children[stat.ParentPid] = list = [];
                }

                list.Add(new Member(pid, stat.StartTicks));
            }
        }

        var found = new List<Member>();
        var pending = new Stack<int>([root]);
        while (pending.Count > 0 && found.Count < 10_000)
        {
            if (children.TryGetValue(pending.Pop(), out var list))
            {
                foreach (var child in list)
                {
                    found.Add(child);
                    pending.Push(child.Pid);
                }
            }
        }

        return found;
    }

    /// <summary>Signals each member that is still the same process (same start time).</summary>
    public static void Signal(IEnumerable<Member> members, int signal)
    {
        foreach (var member in members)
        {
            if (Read(member.Pid) is { } stat && stat.StartTicks == member.StartTicks)
            {
                WorkerProcess.SendSignal(member.Pid, signal);
            }
        }
    }

    /// <summary>Parent PID and start time (clock ticks after boot) from /proc/&lt;pid&gt;/stat, or null if it is gone.</summary>
    private static (int ParentPid, long StartTicks)? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces or ')'; the fields follow the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 && fields[0] != "Z"
                && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent)
                && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                ? (parent, start)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
