using System.Globalization;
using System.Text;
using System.Text.Json;
using VibeEnsemble.Domain.Projects;
using VibeEnsemble.Domain.Tasks;
using VibeEnsemble.Domain.Workers;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>Everything needed to start one worker: executable, argument list, directory, environment and prompt.</summary>
public sealed record LaunchPlan(
    string Executable, IReadOnlyList<string> Arguments, string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment, string Prompt)
{
    /// <summary>The name our MCP server has in a worker's config; its tools are <c>mcp__vibe-ensemble__*</c>.</summary>
    public const string McpServerName = "vibe-ensemble";

    /// <summary>
    /// Our tool Claude Code asks about every tool call its settings do not already allow (the hidden
    /// <c>--permission-prompt-tool</c> flag, which works with <c>-p</c>): the permission policy decides.
    /// </summary>
    public const string PermissionPromptTool = $"mcp__{McpServerName}__approve_permission";

    /// <summary>The header that tells the server which worker an MCP session belongs to.</summary>
    public const string WorkerHeader = "X-Vibe-Worker";

    /// <summary>
    /// Headless Claude Code (<c>-p</c>, stream-json both ways, prompt on stdin), only our MCP server, the profile's
    /// model, budget, permissions and system prompt. Our own tools are always allowed; whatever else the profile's
    /// mode and tool lists do not settle is put to our permission policy.
    /// </summary>
    public static LaunchPlan Build(
        WorkerOptions options, WorkerProfile profile, string executable, string workingDirectory, string mcpConfigPath, string prompt)
    {
        List<string> arguments =
        [
            "-p", "--output-format", "stream-json", "--input-format", "stream-json", "--verbose",
            "--mcp-config", mcpConfigPath, "--strict-mcp-config", "--no-session-persistence",
            "--permission-mode", profile.PermissionMode, "--permission-prompt-tool", PermissionPromptTool,
            "--allowedTools", $"mcp__{McpServerName}", .. profile.AllowedTools,
        ];
        if (profile.DisallowedTools.Count > 0)
        {
            arguments.AddRange(["--disallowedTools", .. profile.DisallowedTools]);
        }

        if (profile.Model is { } model)
        {
            arguments.AddRange(["--model", model]);
        }

        if (profile.MaxBudgetUsd is { } budget)
        {
            arguments.AddRange(["--max-budget-usd", budget.ToString(CultureInfo.InvariantCulture)]);
        }

        if (profile.SystemPrompt.Length > 0)
        {
            arguments.AddRange(["--append-system-prompt", profile.SystemPrompt]);
        }

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // Our tools go straight into the model request rather than behind Claude Code's tool search.
            ["ENABLE_TOOL_SEARCH"] = "false",
            ["DISABLE_AUTOUPDATER"] = "1",
        };
        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value.Length == 0 ? null : value;
        }

        return new LaunchPlan(executable, arguments, workingDirectory, environment, prompt);
    }

    /// <summary>The MCP config a worker gets: our server only, with the header that identifies the worker.</summary>
    public static string McpConfig(string mcpUrl, string workerToken, string? accessToken = null)
    {
        var headers = new Dictionary<string, string> { [WorkerHeader] = workerToken };
        if (!string.IsNullOrEmpty(accessToken))
        {
            headers["Authorization"] = $"Bearer {accessToken}";
        }

        return JsonSerializer.Serialize(new
        {
            mcpServers = new Dictionary<string, object> { [McpServerName] = new { type = "http", url = mcpUrl, headers } },
        });
    }

    /// <summary>The first user turn, as one stream-json line.</summary>
    public string PromptLine() => UserTurnLine(Prompt);

    /// <summary>A user turn as Claude Code reads it on stdin with <c>--input-format stream-json</c>: one JSON line.</summary>
    public static string UserTurnLine(string text) => JsonSerializer.Serialize(new { type = "user", message = new { role = "user", content = text } });

    /// <summary>
    /// Finds <paramref name="command"/>: a path is taken as it is, a bare name is looked up on PATH.
    /// </summary>
    /// <exception cref="WorkerStartException">Nothing executable by that name.</exception>
    public static string ResolveExecutable(string command)
    {
        if (command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(command) ? Path.GetFullPath(command)
                : throw new WorkerStartException($"the worker executable '{command}' does not exist; set {WorkerOptions.SectionName}:ClaudePath");
        }

        foreach (var directory in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, command);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new WorkerStartException(
            $"the worker executable '{command}' was not found on PATH; install Claude Code (npm i -g @anthropic-ai/claude-code) or set {WorkerOptions.SectionName}:ClaudePath");
    }
}

/// <summary>What a worker is told: its task, the project's rules, what its dependencies produced, how to report.</summary>
public static class WorkerPrompt
{
    public const int DependencyResultMaxChars = 8_000;

    public static string For(
        AgentTask task, Project project, IReadOnlyList<(string Title, string? Result)> dependencies,
        IReadOnlyList<Knowledge.KnowledgeHit>? knowledge = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            You are a worker in a Vibe Ensemble, spawned for one task in project '{project.Name}' ({project.WorkingDirectory}).

            # Task: {task.Title}
            Task id: {task.Id}

            {(task.Description.Length > 0 ? task.Description : "(no description)")}

            """);
        if (project.Rules.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n# Project rules\n{project.Rules}\n");
        }

        if (dependencies.Count > 0)
        {
            text.Append("\n# Results of the tasks this one waited for\n");
            foreach (var (title, result) in dependencies)
            {
                var shown = result is null ? "(no result text)"
                    : result.Length <= DependencyResultMaxChars ? result : result[..DependencyResultMaxChars] + "…";
                text.Append(CultureInfo.InvariantCulture, $"## {title}\n{shown}\n");
            }
        }

        if (knowledge is { Count: > 0 })
        {
            text.Append("\n# Knowledge that may help (search_knowledge and get_knowledge for more)\n");
            foreach (var hit in knowledge)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {hit.Title} ({hit.Id}): {hit.Snippet.ReplaceLineEndings(" ")}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"""

            # How to report
            Use the {LaunchPlan.McpServerName} MCP tools; this session is already bound to the task, so you need not register.
            - update_task_progress: a one-line note when you finish a step.
            - complete_task with a result: what you did, files changed, anything a later task needs. Call it once, when done.
            - fail_task with the reason if you cannot finish (retryable false if trying again cannot help).
            - send_message to ask the coordinator or 'human' something; answers arrive in this session.
            A tool call the ensemble's policy denies is final: do not retry it.
            Your own TaskCreate/TaskList tools are a private checklist only; they do not reach the ensemble.
            """);
        return text.ToString();
    }
}
