using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Web.Configuration;
using VibeEnsemble.Web.Hosting;
using VibeEnsemble.Web.Mcp;

namespace VibeEnsemble.Web.Cli;

/// <summary>
/// <c>vibe-ensemble init [dir]</c>: wires a project to the server. Writes or merges <c>.mcp.json</c> (entry
/// <c>vibe-ensemble</c>), a marked section of <c>CLAUDE.md</c> with the coordinator's instructions (the same text as the
/// <c>coordinator</c> MCP prompt), and the <c>/coordinate</c> slash command; registers the folder as a project with
/// the running server. Idempotent; never overwrites what a user wrote (other keys are kept, only its own section is
/// replaced, a different existing entry or command is reported and kept unless <c>--force</c>); <c>--dry-run</c> only
/// says what it would do.
/// </summary>
internal static class ProjectInit
{
    public const string ServerName = "vibe-ensemble";
    public const string SectionStart = "<!-- vibe-ensemble:start -->";
    public const string SectionEnd = "<!-- vibe-ensemble:end -->";

    private const string CommandText = """
        ---
        description: Coordinate this project's Vibe Ensemble
        ---
        Act as the coordinator of this project's Vibe Ensemble, following the vibe-ensemble section of CLAUDE.md:
        register as 'coordinator', then plan and create tasks for: $ARGUMENTS
        """;

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>Runs <c>init</c>; <paramref name="configurationArgs"/> locate the server as a start would.</summary>
    public static async Task<int> RunAsync(
        string? folder, string transport, bool dryRun, bool force, string[] configurationArgs, TextWriter output, TextWriter error)
    {
        var directory = Path.GetFullPath(folder ?? Environment.CurrentDirectory);
        if (!Directory.Exists(directory))
        {
            await error.WriteLineAsync($"init needs a project folder; '{directory}' {(File.Exists(directory) ? "is a file" : "does not exist")}.");
            return VibeCommandLine.BadUsage;
        }

        await using var app = WebServer.CreateBuilder(configurationArgs).Build();
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var storage = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var agents = ConnectLines.AgentUrl(server);
        var needsToken = ConnectLines.NeedsToken(server);

        var problems = 0;
        problems += await McpJsonAsync(directory, Entry(transport, agents, needsToken), force, dryRun, output);
        await ClaudeMdAsync(directory, dryRun, output);
        problems += await CommandAsync(directory, force, dryRun, output);
        if (needsToken)
        {
            await output.WriteLineAsync($"The server needs its token: export VIBE_ENSEMBLE_TOKEN=$(cat {Path.Combine(storage.DataDirectory, AccessTokens.FileName)}) before starting Claude Code here.");
        }

        if (!dryRun)
        {
            await RegisterAsync(agents, directory, needsToken ? ReadToken(server, storage) : null, output);
        }

        return problems == 0 ? 0 : 1;
    }

    /// <summary>The .mcp.json entry for a transport; the coordinator's role on the transports that take one.</summary>
    private static JsonObject Entry(string transport, string agents, bool needsToken)
    {
        var entry = transport switch
        {
            "ws" => new JsonObject { ["type"] = "ws", ["url"] = $"{agents.Replace("http", "ws", StringComparison.Ordinal)}/mcp/ws?role=coordinator" },
            "sse" => new JsonObject { ["type"] = "sse", ["url"] = $"{agents}/sse" },
            "stdio" => StdioEntry(),
            _ => new JsonObject { ["type"] = "http", ["url"] = $"{agents}/mcp?role=coordinator" },
        };
        if (needsToken && transport != "stdio")
        {
            entry["headers"] = new JsonObject { ["Authorization"] = "Bearer ${VIBE_ENSEMBLE_TOKEN}" };
        }

        return entry;
    }

    /// <summary>The client starts this same program (full paths: a client's PATH may differ from the shell's).</summary>
    private static JsonObject StdioEntry()
    {
        var (command, leading) = SelfCommand.Resolve(shortName: false);
        return new JsonObject
        {
            ["type"] = "stdio",
            ["command"] = command,
            ["args"] = new JsonArray([.. leading.Append("--stdio").Select(a => JsonValue.Create(a))]),
        };
    }

    private static async Task<int> McpJsonAsync(string directory, JsonObject entry, bool force, bool dryRun, TextWriter output)
    {
        var path = Path.Combine(directory, ".mcp.json");
        JsonObject root;
        if (File.Exists(path))
        {
            try
            {
                root = JsonNode.Parse(await File.ReadAllTextAsync(path)) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException ex)
            {
                await output.WriteLineAsync($"✘ .mcp.json is not valid JSON ({ex.Message}); left as it is — fix it and run init again");
                return 1;
            }
        }
        else
        {
            root = [];
        }

        var servers = root["mcpServers"] as JsonObject;
        if (servers is null)
        {
            servers = [];
            root["mcpServers"] = servers;
        }

        if (servers[ServerName] is { } existing)
        {
            if (JsonNode.DeepEquals(existing, entry))
            {
                await output.WriteLineAsync("unchanged .mcp.json");
                return 0;
            }

            if (!force)
            {
                await output.WriteLineAsync($"✘ .mcp.json already has a different '{ServerName}' entry ({existing.ToJsonString()}); kept — run with --force to replace it");
                return 1;
            }
        }

        servers[ServerName] = entry;
        await WriteAsync(directory, path, root.ToJsonString(s_indented) + "\n", dryRun, output, $"({ServerName} → {entry["url"] ?? entry["command"]})");
        return 0;
    }

    private static async Task ClaudeMdAsync(string directory, bool dryRun, TextWriter output)
    {
        var path = Path.Combine(directory, "CLAUDE.md");
        var section = $"{SectionStart}\n## Vibe Ensemble\n\nThis project is coordinated through the vibe-ensemble MCP server.\n\n{RolePrompts.CoordinatorText.TrimEnd()}\n{SectionEnd}";
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        var start = text.IndexOf(SectionStart, StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf(SectionEnd, start, StringComparison.Ordinal);
        var updated = start >= 0 && end >= 0
            ? text[..start] + section + text[(end + SectionEnd.Length)..]
            : text.Length == 0 ? section + "\n" : text.TrimEnd('\n') + "\n\n" + section + "\n";
        if (updated == text)
        {
            await output.WriteLineAsync("unchanged CLAUDE.md");
            return;
        }

        await WriteAsync(directory, path, updated, dryRun, output, "(its vibe-ensemble section)");
    }

    private static async Task<int> CommandAsync(string directory, bool force, bool dryRun, TextWriter output)
    {
        var path = Path.Combine(directory, ".claude", "commands", "coordinate.md");
        if (File.Exists(path))
        {
            var existing = await File.ReadAllTextAsync(path);
            if (existing == CommandText)
            {
                await output.WriteLineAsync("unchanged .claude/commands/coordinate.md");
                return 0;
            }

            if (!force)
            {
                await output.WriteLineAsync("✘ .claude/commands/coordinate.md exists with other text; kept — run with --force to replace it");
                return 1;
            }
        }

        await WriteAsync(directory, path, CommandText, dryRun, output, "(the /coordinate command)");
        return 0;
    }

    private static async Task WriteAsync(string directory, string path, string text, bool dryRun, TextWriter output, string what)
    {
        var verb = File.Exists(path) ? "updated" : "created";
        var relative = Path.GetRelativePath(directory, path);
        if (dryRun)
        {
            await output.WriteLineAsync($"would have {verb} {relative} {what}");
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text);
        await output.WriteLineAsync($"{verb} {relative} {what}");
    }

    private static async Task RegisterAsync(string agents, string directory, string? token, TextWriter output)
    {
        var name = new DirectoryInfo(directory).Name;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(agents), Timeout = TimeSpan.FromSeconds(5) };
            if (token is not null)
            {
                http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            }

            var known = await http.GetFromJsonAsync<JsonElement>("/api/projects");
            if (known.EnumerateArray().Any(p => p.GetProperty("workingDirectory").GetString() == directory))
            {
                await output.WriteLineAsync($"unchanged project (the server knows {directory})");
                return;
            }

            using var response = await http.PostAsJsonAsync("/api/projects", new { name, workingDirectory = directory });
            await output.WriteLineAsync(response.IsSuccessStatusCode
                ? $"registered project '{name}' ({directory}) with the server"
                : $"✘ the server refused the project: {await response.Content.ReadAsStringAsync()}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"The server is not running at {agents}, so the project is not registered yet: start it (vibe-ensemble, or dotnet run --project src/VibeEnsemble.Web) and run init again.");
        }
    }

    private static string? ReadToken(ServerOptions server, StorageOptions storage)
    {
        var file = Path.Combine(storage.DataDirectory, AccessTokens.FileName);
        return !string.IsNullOrEmpty(server.AccessToken) ? server.AccessToken : File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }
}
