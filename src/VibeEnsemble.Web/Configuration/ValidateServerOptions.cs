using System.Net;
using Microsoft.Extensions.Options;

namespace VibeEnsemble.Web.Configuration;

internal sealed class ValidateServerOptions(IConfiguration configuration) : IValidateOptions<ServerOptions>
{
    /// <summary>Where Kestrel reads the certificate it serves HTTPS with.</summary>
    public const string CertificatePathKey = "Kestrel:Certificates:Default:Path";

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

        if (options.Https)
        {
            var certificate = configuration[CertificatePathKey];
            if (string.IsNullOrWhiteSpace(certificate))
            {
                errors.Add($"{ServerOptions.SectionName}:Https needs a certificate: set {CertificatePathKey} (a .pfx, with :Password; or a PEM certificate with :KeyPath).");
            }
            else if (!File.Exists(certificate))
            {
                errors.Add($"{CertificatePathKey} ('{certificate}') does not exist.");
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
