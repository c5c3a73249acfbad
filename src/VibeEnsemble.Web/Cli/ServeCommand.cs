using Microsoft.Extensions.Options;
using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Web.Configuration;
using VibeEnsemble.Web.Hosting;

namespace VibeEnsemble.Web.Cli;

/// <summary>
/// <c>serve</c>: runs the server until stopped. What stops a start (bad settings, a port in use, a database from a newer
/// version) is one plain message and an exit code, never a stack trace.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(bool stdio, string[] configurationArgs, TextWriter error)
    {
        try
        {
            if (stdio)
            {
                await StdioServer.RunAsync(configurationArgs);
            }
            else
            {
                await WebServer.RunAsync(configurationArgs);
            }

            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await error.WriteLineAsync($"Invalid configuration:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", ex.Failures)}");
            return VibeCommandLine.BadUsage;
        }
        catch (InvalidOperationException ex) when (ex.InnerException is ArgumentException or FormatException && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The configuration binder's own message names the key and the value ("Failed to convert configuration value
            // 'abc' at 'VibeEnsemble:Server:AgentPort' to type 'System.Int32'."); it has no exception type of its own.
            await error.WriteLineAsync($"Invalid configuration:{Environment.NewLine}  {ex.Message}");
            return VibeCommandLine.BadUsage;
        }
        catch (Exception ex) when (StorageRefusal(ex) is { } exitCode)
        {
            await error.WriteLineAsync(ex.Message);
            return exitCode;
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            await error.WriteLineAsync(
                $"Invalid configuration:{Environment.NewLine}  The HTTPS certificate ({ValidateServerOptions.CertificatePathKey}) could not be loaded: {ex.Message} Check the file and Kestrel:Certificates:Default:Password.");
            return VibeCommandLine.BadUsage;
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await error.WriteLineAsync($"{ex.Message} Choose other ports with --dashboard-port and --agent-port.");
            return 3;
        }
    }

    /// <summary>
    /// The exit code of each way the storage refuses a start (<c>StorageStart</c>); its message already names the
    /// path and the fix. Null for anything else.
    /// </summary>
    private static int? StorageRefusal(Exception ex) => ex switch
    {
        DataFolderInUseException => 3,
        DataFolderException => VibeCommandLine.BadUsage,
        DatabaseTooNewException or DatabaseUnusableException => 4,
        _ => null,
    };
}
