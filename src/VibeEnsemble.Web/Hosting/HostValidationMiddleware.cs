using Microsoft.AspNetCore.HostFiltering;

namespace VibeEnsemble.Web.Hosting;

/// <summary>
/// Refuses requests whose Host header is not one of <c>AllowedHosts</c> (a DNS-rebinding guard), with the
/// ProblemDetails every other refusal uses. It replaces ASP.NET Core's host filtering, whose 400 is an HTML page.
/// </summary>
internal sealed class HostValidationMiddleware(RequestDelegate next, HostAllowList allowed, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Host;
        if (!host.HasValue || allowed.Allows(host.Host))
        {
            await next(context);
            return;
        }

        var name = host.Host.Length <= 100 ? host.Host : host.Host[..100];
        await problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Host not allowed",
            $"Host '{name}' is not one of AllowedHosts ({allowed}); add it there to reach this server by that name.");
    }
}

/// <summary>The hosts from the <c>AllowedHosts</c> setting: exact names, <c>*.suffix</c> wildcards, or <c>*</c> for any.</summary>
internal sealed class HostAllowList
{
    private readonly string[] _hosts;

    public HostAllowList(IConfiguration configuration) =>
        _hosts = (configuration["AllowedHosts"] ?? "localhost;127.0.0.1;[::1]")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public bool Allows(string host) => _hosts.Any(allowed =>
        allowed == "*"
        || string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase)
        || (allowed.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)));

    public override string ToString() => string.Join(", ", _hosts);

    /// <summary>Turns ASP.NET Core's own host filtering off: this list, checked by the middleware, takes its place.</summary>
    public static void ReplaceBuiltIn(IServiceCollection services)
    {
        services.AddSingleton<HostAllowList>();
        services.PostConfigure<HostFilteringOptions>(options => options.AllowedHosts = ["*"]);
    }
}
