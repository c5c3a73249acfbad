using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Web.Configuration;
using VibeEnsemble.Web.Hosting;
using VibeEnsemble.Web.Mcp.Conformance;
using VibeEnsemble.Web.Mcp.Tools;

namespace VibeEnsemble.Web.Mcp;

internal static class McpSetup
{
    public const string ServerName = "vibe-ensemble";

    private const string Instructions = """
        Vibe Ensemble coordinates several Claude Code sessions working on one project.
        Start by calling register_agent with a unique name and your capabilities; call heartbeat now and then.
        Use list_agents to see who else is connected and what they can do.
        The coordinator creates tasks (create_task); an agent takes the next one it can do with get_next_task,
        reports with update_task_progress, and ends it with complete_task or fail_task.
        Agents talk with send_message and check_inbox; the person is 'human'.
        """;

    /// <summary>The MCP server with its tools; HTTP transports are added only when serving HTTP.</summary>
    public static IMcpServerBuilder AddVibeMcp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<McpOptions>().BindConfiguration(McpOptions.SectionName)
            .Validate(o => o.SessionIdleTimeout > TimeSpan.Zero,
                $"{McpOptions.SectionName}:{nameof(McpOptions.SessionIdleTimeout)} must be a positive duration, e.g. 00:30:00.")
            .Validate(o => o.StreamGoneAfter > TimeSpan.Zero,
                $"{McpOptions.SectionName}:{nameof(McpOptions.StreamGoneAfter)} must be a positive duration, e.g. 00:00:10.")
            .ValidateOnStart();
        builder.Services.AddSingleton<McpSessionTracker>();
        builder.Services.AddSingleton<HttpSessionLiveness>();
        builder.Services.AddHostedService<McpChannelRelay>();
        var mcp = builder.Services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = ServerName,
                    Title = "Vibe Ensemble",
                    Version = ServerClock.Version,
                };
                options.ServerInstructions = Instructions;
                // Claude Code delivers notifications/claude/channel to the model only from servers that declare it
                // (and only when started with --dangerously-load-development-channels server:<name>).
                options.Capabilities ??= new ServerCapabilities();
                options.Capabilities.Experimental = new Dictionary<string, object> { [McpChannelRelay.Capability] = System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone() };
            })
            .WithTools<AgentTools>()
            .WithTools<TaskTools>()
            .WithTools<WorkerTools>()
            .WithTools<PermissionTools>()
            .WithTools<MessageTools>()
            .WithTools<IssueTools>()
            .WithTools<KnowledgeTools>()
            .WithTools<ConflictTools>()
            .WithPrompts<RolePrompts>()
            .WithMessageFilters(filters => filters
                .AddIncomingFilter(InvalidParams.Filter)
                .AddIncomingFilter(PreparedToolList.Filter))
            .WithRequestFilters(filters =>
            {
                // Each role is offered, and may call, only its own tools (McpRoles). A plain tools/list is answered
                // before it gets here (PreparedToolList); this shapes the rest (a cursor, a per-request revision).
                filters.AddListToolsFilter(next => async (context, cancellationToken) =>
                {
                    var result = await next(context, cancellationToken);
                    var role = context.Services!.GetRequiredService<McpSessionTracker>().RoleOf(context.Server);
                    if (role != McpRole.Everything)
                    {
                        result.Tools = SlimToolList.For(role, result.Tools);
                    }

                    return result;
                });
                filters.AddCallToolFilter(next => async (context, cancellationToken) =>
                {
                    var sessions = context.Services!.GetRequiredService<McpSessionTracker>();
                    // Every call is a sign of life of the session's agent, whatever the tool (presence, ADR-005).
                    await context.Services!.GetRequiredService<AgentService>().TouchAsync(sessions.Describe(context.Server).ConnectionId, cancellationToken);
                    var role = sessions.RoleOf(context.Server);
                    var tool = context.Params?.Name ?? "";
                    if (!role.Offers(tool))
                    {
                        throw new ModelContextProtocol.McpException(
                            $"'{tool}' is not offered to {(role == McpRole.Agent ? "an" : "a")} {role.ToString().ToLowerInvariant()} session.");
                    }

                    // Arguments that do not fit the schema are refused naming the argument, before binding would
                    // fail with a message that says nothing.
                    return context.MatchedPrimitive is McpServerTool matched
                        && ToolArguments.Problem(matched.ProtocolTool.InputSchema, context.Params?.Arguments) is { } problem
                        ? throw new ModelContextProtocol.McpException(problem)
                        : await next(context, cancellationToken);
                });
            });

        if (builder.Configuration.GetValue<bool>($"{McpOptions.SectionName}:{nameof(McpOptions.ConformanceFixtures)}"))
        {
            // The conformance suite brings its own resources.
            mcp.AddConformanceFixtures();
        }
        else
        {
            mcp.WithKnowledgeResources();
        }

        return mcp;
    }

    public static IMcpServerBuilder WithVibeHttpTransports(this IMcpServerBuilder mcp)
    {
        mcp.WithHttpTransport(options =>
        {
            // Stateful: agents are bound to their session, and legacy SSE and server-to-client requests need one.
            options.SessionMode = HttpServerSessionMode.Stateful;
#pragma warning disable MCP9004 // Legacy SSE is a requirement (older clients); clients here are local and trusted.
            options.EnableLegacySse = true;
#pragma warning restore MCP9004
#pragma warning disable MCPEXP002 // RunSessionHandler is experimental; it is the one hook for a session's end.
            options.RunSessionHandler = (context, server, cancellationToken) =>
                context.RequestServices.GetRequiredService<McpSessionTracker>().RunAsync(
                    server,
                    server.SessionId ?? throw new InvalidOperationException("Stateful session without an id."),
                    context.Request.Path.Value?.EndsWith("/sse", StringComparison.Ordinal) == true ? "sse" : "http",
                    cancellationToken,
                    context.Request.Headers[LaunchPlan.WorkerHeader].ToString(),
                    RequestedRole(context));
#pragma warning restore MCPEXP002
        });
#pragma warning disable MCP9006 // Obsolete only for stateless-first servers; our agents are bound to stateful sessions.
        mcp.Services.AddOptions<HttpServerTransportOptions>()
            .Configure<IOptions<McpOptions>>((options, mcpOptions) => options.IdleTimeout = mcpOptions.Value.SessionIdleTimeout);
#pragma warning restore MCP9006
        return mcp;
    }

    /// <summary>The role the connecting client asked for (checked before the session starts, so never invalid here).</summary>
    public static McpRole RequestedRole(HttpContext context) =>
        McpRoles.Parse(context.Request.Query[McpRoles.QueryParameter].FirstOrDefault() ?? context.Request.Headers[McpRoles.Header].FirstOrDefault());

    /// <summary>Streamable HTTP at /mcp, legacy HTTP+SSE at /sse (+ /message), WebSocket at /mcp/ws.</summary>
    public static WebApplication MapVibeMcp(this WebApplication app)
    {
        // An unknown role is refused as a 400 with the reason before any session exists. The SDK reads an initialize
        // request's parameters before its session handles them, so parameters that do not bind escape it as an
        // exception (a 500); they are the client's mistake, answered as the SDK answers a malformed body.
        app.MapMcp(AgentEndpoints.StreamableHttp).AddEndpointFilter(async (context, next) =>
        {
            RequestedRole(context.HttpContext);
            try
            {
                return await next(context);
            }
            catch (JsonException ex) when (!context.HttpContext.Response.HasStarted)
            {
                return Results.Json<JsonRpcMessage>(InvalidParams.Response(ex), McpJsonUtilities.DefaultOptions, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        app.Map(AgentEndpoints.McpWebSocket, McpWebSocketEndpoint.HandleAsync);
        return app;
    }

    /// <summary>
    /// The SDK hosts legacy SSE under the Streamable HTTP path (/mcp/sse, /mcp/message); clients are told to use
    /// /sse, the conventional spelling, so it is rewritten before routing.
    /// </summary>
    public static WebApplication UseLegacySseAliases(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (path.Equals(AgentEndpoints.LegacySse) || path.Equals(AgentEndpoints.LegacyMessage))
            {
                context.Request.Path = AgentEndpoints.StreamableHttp + path;
            }

            return next(context);
        });
        return LegacySseBackpressure.Use(app);
    }
}
