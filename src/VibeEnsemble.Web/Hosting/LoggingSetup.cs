using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Web.Hosting;

internal static class LoggingSetup
{
    /// <summary>
    /// Serilog as the logging provider: levels from configuration, the console and a daily rolling file in the data
    /// folder. In stdio mode stdout carries the protocol, so every console line goes to stderr.
    /// </summary>
    public static IHostApplicationBuilder AddVibeLogging(this IHostApplicationBuilder builder, bool stdio)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            MakeDataFolder(storage.DataDirectory);
            logger.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                // A tool call refused with a message for the model (McpException) is an answer, not a server fault:
                // the SDK logs it as an error with a stack trace, which buried real errors. Anything else still logs.
                .Filter.ByExcluding(e => e.Exception is ModelContextProtocol.McpException && e.Level == LogEventLevel.Error
                    && e.Properties.TryGetValue("SourceContext", out var source) && source.ToString().Contains("ModelContextProtocol", StringComparison.Ordinal))
                .WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: stdio ? LogEventLevel.Verbose : null)
                // One JSON object per line (CLEF), every property kept, for tools such as jq or Seq.
                .WriteTo.File(
                    new CompactJsonFormatter(),
                    Path.Combine(storage.DataDirectory, "logs", "vibe-ensemble-.clef"),
                    rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: 14,
                    // A --stdio process and the dashboard may write the same file at once.
                    shared: true);
        });
        CachingLoggerFactory.Decorate(builder.Services);
        return builder;
    }

    /// <summary>
    /// The log file may be the first thing written on a first start, so the data folder is made here, private.
    /// One that cannot be made is reported by the start itself in one line (<see cref="PrivateFolder.CreateDataFolder"/>,
    /// once the host is built) and by <c>doctor</c>, which builds this host too; the log file then fails quietly.
    /// </summary>
    private static void MakeDataFolder(string path)
    {
        try
        {
            PrivateFolder.Create(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
