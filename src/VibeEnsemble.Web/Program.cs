using Microsoft.Extensions.Options;
using VibeEnsemble.Web.Configuration;
using VibeEnsemble.Web.Cli;
using VibeEnsemble.Web.Hosting;

if (args is ["doctor", .. var doctorArgs])
{
    return await Doctor.RunAsync(doctorArgs, Console.Out);
}

if (args is ["init", .. var initArgs])
{
    return await ProjectInit.RunAsync(initArgs, Console.Out, Console.Error);
}

var launch = LaunchOptions.Parse(args);
if (launch.ShowHelp)
{
    Console.Out.Write(LaunchOptions.Usage);
    return 0;
}

try
{
    if (launch.Stdio)
    {
        await StdioServer.RunAsync(launch.ConfigurationArgs);
    }
    else
    {
        await WebServer.RunAsync(launch.ConfigurationArgs);
    }

    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"Invalid configuration:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", ex.Failures)}");
    return 2;
}
catch (InvalidOperationException ex) when (ex.InnerException is ArgumentException or FormatException && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    // The configuration binder's own message names the key and the value ("Failed to convert configuration value
    // 'abc' at 'VibeEnsemble:Server:AgentPort' to type 'System.Int32'."); it has no exception type of its own.
    await Console.Error.WriteLineAsync($"Invalid configuration:{Environment.NewLine}  {ex.Message}");
    return 2;
}
catch (VibeEnsemble.Infrastructure.Persistence.DatabaseTooNewException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 4;
}
catch (System.Security.Cryptography.CryptographicException ex)
{
    await Console.Error.WriteLineAsync(
        $"Invalid configuration:{Environment.NewLine}  The HTTPS certificate ({ValidateServerOptions.CertificatePathKey}) could not be loaded: {ex.Message} Check the file and Kestrel:Certificates:Default:Password.");
    return 2;
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    await Console.Error.WriteLineAsync($"{ex.Message} Choose other ports with --dashboard-port and --agent-port.");
    return 3;
}

/// <summary>Entry point; public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
