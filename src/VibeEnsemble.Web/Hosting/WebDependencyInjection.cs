using System.Net;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Serilog;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Tasks;
using VibeEnsemble.Infrastructure.Messages;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Infrastructure.Projects;
using VibeEnsemble.Infrastructure.Workers;
using VibeEnsemble.Web.Api;
using VibeEnsemble.Web.Components;
using VibeEnsemble.Web.Configuration;
using VibeEnsemble.Web.Mcp;
using VibeEnsemble.Web.Rpc;

namespace VibeEnsemble.Web.Hosting;

internal static class WebDependencyInjection
{
    /// <summary>The largest request body the agent endpoints and the API take (4 MiB, as a /mcp/ws message).</summary>
    public const long MaxAgentBodyBytes = 4 * 1024 * 1024;

    /// <summary>What every mode needs: options, logging, storage and the application services.</summary>
    public static IHostApplicationBuilder AddVibeEnsembleCore(this IHostApplicationBuilder builder, bool stdio)
    {
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ValidateServerOptions>();
        builder.Services.AddSingleton<ServerClock>();
        builder.AddVibeLogging(stdio);
        builder.AddInfrastructure(ownsPresence: !stdio);
        return builder;
    }

    public static WebApplicationBuilder AddVibeEnsembleWeb(this WebApplicationBuilder builder)
    {
        builder.AddVibeEnsembleCore(stdio: false);
        builder.AddVibeMcp().WithVibeHttpTransports();
        // A worker presents the token when its MCP URL is not loopback, or when every request must.
        builder.Services.AddOptions<WorkerOptions>().PostConfigure<IServiceProvider>(
            (workers, services) => workers.McpAccessToken = () => services.GetRequiredService<AccessTokens>().Value);
        // Spawned workers reach us over Streamable HTTP on the agent port, through loopback when bound to every address.
        // Read leniently, like Kestrel's: a bad port is reported once, by options validation, not from in here.
        builder.Services.AddOptions<WorkerOptions>().PostConfigure<IConfiguration>((workers, configuration) =>
        {
            if (string.IsNullOrWhiteSpace(workers.McpUrl))
            {
                var section = configuration.GetSection(ServerOptions.SectionName);
                var defaults = new ServerOptions();
                var host = IPAddress.TryParse(section[nameof(ServerOptions.BindAddress)] ?? defaults.BindAddress, out var bound)
                    && !bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any)
                    ? bound.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bound}]" : bound.ToString()
                    : "127.0.0.1";
                var port = Port(section[nameof(ServerOptions.AgentPort)], defaults.AgentPort) ?? defaults.AgentPort;
                var scheme = bool.TryParse(section[nameof(ServerOptions.Https)], out var https) && https ? "https" : "http";
                workers.McpUrl = $"{scheme}://{host}:{port}{AgentEndpoints.StreamableHttp}";
            }


        });

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // Read leniently: this runs before options validation, which reports a bad address or port in one line
            // naming the key (Program), instead of Kestrel throwing on it here.
            var section = context.Configuration.GetSection(ServerOptions.SectionName);
            var defaults = new ServerOptions();
            var address = IPAddress.TryParse(section[nameof(ServerOptions.BindAddress)] ?? defaults.BindAddress, out var parsed)
                ? parsed : IPAddress.Loopback;
            var dashboardPort = Port(section[nameof(ServerOptions.DashboardPort)], defaults.DashboardPort);
            var agentPort = Port(section[nameof(ServerOptions.AgentPort)], defaults.AgentPort);
            // HTTPS takes Kestrel's own certificate configuration (Kestrel:Certificates:Default), checked at start.
            // Without a certificate file it is left to options validation to say so in one line, not Kestrel to crash.
            var https = bool.TryParse(section[nameof(ServerOptions.Https)], out var on) && on
                && File.Exists(context.Configuration[ValidateServerOptions.CertificatePathKey]);
            void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
            {
                if (https)
                {
                    listen.UseHttps();
                }
            }

            if (dashboardPort is { } dashboard)
            {
                kestrel.Listen(address, dashboard, Configure);
            }

            if (agentPort is { } agents && agents != dashboardPort)
            {
                kestrel.Listen(address, agents, Configure);
            }
        });

        builder.Services.AddProblemDetails();
        HostAllowList.ReplaceBuiltIn(builder.Services);
        builder.Services.AddSingleton<AccessTokens>();
        // A body that is not JSON, or not the shape an endpoint takes, reaches the exception handler as
        // BadHttpRequestException and is answered as ProblemDetails naming the problem, not as a bare 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        KeepDataProtectionKeysInMemory(builder.Services);
        builder.Services.AddSingleton(sp => VibeRpcMethods.Create(
                sp.GetRequiredService<AgentService>(), sp.GetRequiredService<TaskService>(), sp.GetRequiredService<AssignmentListeners>(),
                sp.GetRequiredService<MessageService>())
            .AddWorkerMethods(sp.GetRequiredService<WorkerService>(), sp.GetRequiredService<ProfileService>(), sp.GetRequiredService<ProjectService>())
            .AddPermissionMethods(sp.GetRequiredService<PermissionBroker>(), sp.GetRequiredService<PermissionCallers>(), sp.GetRequiredService<AgentService>())
            .AddMessageMethods(sp.GetRequiredService<MessageService>(), sp.GetRequiredService<AgentService>())
            .AddIssueMethods(sp.GetRequiredService<VibeEnsemble.Infrastructure.Issues.IssueService>(), sp.GetRequiredService<AgentService>())
            .AddKnowledgeMethods(sp.GetRequiredService<VibeEnsemble.Infrastructure.Knowledge.KnowledgeService>(), sp.GetRequiredService<AgentService>())
            .AddConflictMethods(sp.GetRequiredService<VibeEnsemble.Infrastructure.Conflicts.ReservationService>(),
                sp.GetRequiredService<VibeEnsemble.Infrastructure.Conflicts.ConflictService>(), sp.GetRequiredService<AgentService>()));
        return builder;
    }

    /// <summary>
    /// Data protection guards only what dies with this process (Blazor circuit ids, antiforgery tokens of the open
    /// pages; the access-token cookie holds the token itself), so its keys live in memory: no XML key ring written
    /// to ~/.aspnet outside the data folder, unencrypted and warned about in every new user's log, and none of
    /// System.Private.Xml and its crypto loaded (~5 MB resident). Its start-up service is removed too, as it would
    /// still build the XML key ring; matched by name because the type is internal (if a later ASP.NET Core renames
    /// it, nothing is removed and the ring is built but unused). Several processes sharing one dashboard would need
    /// a shared ring (ADR-005).
    /// </summary>
    private static void KeepDataProtectionKeysInMemory(IServiceCollection services)
    {
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var warmUp = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList();
        foreach (var descriptor in warmUp)
        {
            services.Remove(descriptor);
        }
    }

    /// <summary>A port Kestrel can listen on, or null for a value validation will refuse.</summary>
    private static int? Port(string? configured, int fallback) =>
        configured is null ? fallback
        : int.TryParse(configured, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535 ? port
        : null;

    public static WebApplication UseVibeEnsembleWeb(this WebApplication app)
    {
        // Outermost, so that each request is logged with the status the client finally got. Agent traffic is left
        // out: every MCP tool call over Streamable HTTP is a request, the middleware cost ~8 % of that path's rate
        // even with the line filtered out, and sessions are logged when they start and end.
        app.UseWhen(context => !AgentEndpoints.IsAgentPath(context.Request.Path), branch => branch.UseSerilogRequestLogging());
        app.UseExceptionHandler();
        // An error status written without a body (a 413 from Kestrel, a 405) still reaches API and agent clients as
        // ProblemDetails; the dashboard keeps its own not-found page.
        app.UseWhen(context => AgentEndpoints.IsAgentPath(context.Request.Path) || context.Request.Path.StartsWithSegments("/api"),
            branch => branch.UseStatusCodePages());
        app.UseMiddleware<HostValidationMiddleware>();
        app.UseMiddleware<AccessTokenMiddleware>();
        app.Use((context, next) =>
        {
            // An agent message is small; a body beyond this is refused (413, ProblemDetails) before it is read.
            if ((AgentEndpoints.IsAgentPath(context.Request.Path) || context.Request.Path.StartsWithSegments("/api"))
                && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxAgentBodyBytes;
            }

            return next(context);
        });
        app.UseMiddleware<OriginValidationMiddleware>();
        app.UseMiddleware<PortPartitionMiddleware>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseLegacySseAliases();
        app.Use((context, next) => context.RequestServices.GetRequiredService<Mcp.HttpSessionLiveness>().InvokeAsync(context, next));
        app.UseRouting();
        app.UseAntiforgery();

        // Hangfire's own console (jobs, schedules, failures), on the dashboard port, for local requests only.
        app.UseHangfireDashboard("/hangfire", new DashboardOptions { DisplayStorageConnectionString = false, AppPath = "/" });
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapVibeApi();
        app.MapVibeMcp();
        app.Map(AgentEndpoints.NativeRpc, NativeRpcEndpoint.HandleAsync);
        return app;
    }
}
