using VibeEnsemble.Web.Cli;

return await VibeCommandLine.RunAsync(args, Console.Out, Console.Error);

/// <summary>Entry point; public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
