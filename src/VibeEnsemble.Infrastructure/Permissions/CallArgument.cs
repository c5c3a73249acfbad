using System.Runtime.InteropServices;
using System.Text.Json;

namespace VibeEnsemble.Infrastructure.Permissions;

/// <summary>Which argument of a tool call rules match on, by the tool's kind.</summary>
public enum ArgumentKind
{
    /// <summary>The tool has none: rules match it by name alone.</summary>
    None,

    /// <summary>Bash: the command, split into its simple commands.</summary>
    Command,

    /// <summary>The file tools: the path they read or write, resolved.</summary>
    Path,

    /// <summary>WebFetch: the URL.</summary>
    Url,
}

/// <summary>
/// The argument that matters in a Claude Code tool call (2.1.x input shapes): what a rule's argument pattern is
/// matched against. Paths are made absolute against the working directory, <c>..</c> folded and symlinks resolved
/// (as far as the path exists), so neither <c>../</c> nor a link inside the directory reaches outside unseen.
/// </summary>
public static partial class CallArgument
{
    public static ArgumentKind KindOf(string toolName) => toolName switch
    {
        "Bash" => ArgumentKind.Command,
        "Read" or "Edit" or "Write" or "MultiEdit" or "NotebookEdit" or "NotebookRead" or "Glob" or "Grep" or "LS" => ArgumentKind.Path,
        "WebFetch" => ArgumentKind.Url,
        _ => ArgumentKind.None,
    };

    /// <summary>The Bash command, or "" when the input has none.</summary>
    public static string Command(JsonElement input) => Text(input, "command") ?? "";

    public static string? Url(JsonElement input) => Text(input, "url");

    /// <summary>
    /// The resolved path a file tool touches; null when it cannot be told (a relative path with no working directory,
    /// a malformed input), which no path rule matches.
    /// </summary>
    public static string? Path(string toolName, JsonElement input, string? workingDirectory)
    {
        var raw = toolName switch
        {
            "NotebookEdit" or "NotebookRead" => Text(input, "notebook_path"),
            "Glob" or "Grep" or "LS" => Text(input, "path") ?? workingDirectory,
            _ => Text(input, "file_path"),
        };
        if (toolName == "Glob" && Text(input, "pattern") is { } pattern && (pattern.StartsWith('/') || pattern.Contains("..", StringComparison.Ordinal)))
        {
            // A pattern that climbs or starts elsewhere searches there: judge the directory its fixed part names.
            var wildcard = pattern.IndexOfAny(['*', '?', '[', '{']);
            var fixedPart = wildcard < 0 ? pattern : pattern[..wildcard];
            raw = raw is null ? fixedPart : System.IO.Path.Combine(raw, fixedPart);
        }

        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 4096 || raw.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        if (!System.IO.Path.IsPathFullyQualified(raw))
        {
            if (workingDirectory is null)
            {
                return null;
            }

            raw = System.IO.Path.Combine(workingDirectory, raw);
        }

        return Resolve(System.IO.Path.GetFullPath(raw));
    }

    /// <summary>
    /// <paramref name="fullPath"/> with every symlink in the part that exists resolved (realpath(3)), and the rest
    /// (a file about to be written) appended as it is.
    /// </summary>
    public static string Resolve(string fullPath)
    {
        var existing = fullPath.TrimEnd('/');
        var rest = "";
        while (existing.Length > 0)
        {
            if (RealPath(existing) is { } real)
            {
                return rest.Length == 0 ? real : System.IO.Path.Join(real, rest);
            }

            var slash = existing.LastIndexOf('/');
            rest = rest.Length == 0 ? existing[(slash + 1)..] : System.IO.Path.Join(existing[(slash + 1)..], rest);
            existing = existing[..Math.Max(slash, 0)];
        }

        return "/" + rest;
    }

    private static string? Text(JsonElement input, string name) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    private static string? RealPath(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return Directory.Exists(path) || File.Exists(path) ? path : null;
        }

        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            // realpath(3) with a null buffer mallocs the result; FreeHGlobal is free(3) on Unix.
            Marshal.FreeHGlobal(resolved);
        }
    }

#pragma warning disable SA1300, IDE1006 // libc's name
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);
#pragma warning restore SA1300, IDE1006
}
