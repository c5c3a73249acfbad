using System.Net;
using Microsoft.Extensions.Options;

namespace VibeEnsemble.Web.Configuration;

internal sealed class ValidateServerOptions : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"{ServerOptions.SectionName}:BindAddress ('{options.BindAddress}') must be an IP address, e.g. 127.0.0.1.");
        }

        if (!string.IsNullOrEmpty(options.AccessToken) && options.AccessToken.Length < ServerOptions.AccessTokenMinLength)
        {
            errors.Add($"{ServerOptions.SectionName}:AccessToken must be at least {ServerOptions.AccessTokenMinLength} characters (e.g. from 'openssl rand -hex 24').");
        }

        foreach (var (key, port) in new[] { ("DashboardPort", options.DashboardPort), ("AgentPort", options.AgentPort) })
        {
            if (port is < 1 or > 65535)
            {
                errors.Add($"{ServerOptions.SectionName}:{key} ({port}) must be between 1 and 65535.");
            }
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/")
            {
                errors.Add($"{ServerOptions.SectionName}:AllowedOrigins entry '{origin}' must be an origin such as https://host:port.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
