using VibeEnsemble.Infrastructure.Persistence;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Integration;

/// <summary>A bad setting stops the real server with one line per problem, naming the key (flags: CommandLineTests).</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("--VibeEnsemble:Server:AgentPort", "70000", "VibeEnsemble:Server:AgentPort (70000) must be between 1 and 65535.")]
    [InlineData("--VibeEnsemble:Server:DashboardPort", "abc", "Failed to convert configuration value 'abc' at 'VibeEnsemble:Server:DashboardPort'")]
    [InlineData("--bind", "my-laptop", "VibeEnsemble:Server:BindAddress ('my-laptop') must be an IP address")]
    [InlineData("--VibeEnsemble:Server:AccessToken", "short", "VibeEnsemble:Server:AccessToken must be at least 24 characters")]
    [InlineData("--VibeEnsemble:Presence:FlushInterval", "00:00:00", "VibeEnsemble:Presence:FlushInterval must be between")]
    [InlineData("--VibeEnsemble:Tasks:RetryFactor", "0.5", "VibeEnsemble:Tasks: RetryBaseDelay and AgentLease must be positive")]
    [InlineData("--VibeEnsemble:Presence:StaleAfter", "00:00:00", "VibeEnsemble:Presence:StaleAfter must be at least 00:00:01")]
    [InlineData("--VibeEnsemble:Permissions:AskTimeout", "00:00:00", "VibeEnsemble:Permissions: AskTimeout must be between")]
    [InlineData("--VibeEnsemble:Events:Retain", "5", "VibeEnsemble:Events: Retain must be 1000-100000000")]
    [InlineData("--VibeEnsemble:Server:Https", "true", "VibeEnsemble:Server:Https needs a certificate")]
    [InlineData("--VibeEnsemble:Workers:MaxConcurrent", "0", "VibeEnsemble:Workers: MaxConcurrent must be 1-256")]
    [InlineData("--VibeEnsemble:Connections:SendStallTimeout", "00:00:00", "VibeEnsemble:Connections:SendStallTimeout must be at least 00:00:01.")]
    public async Task Start_BadSetting_ExitsWithTwoAndOneLineNamingTheKey(string flag, string value, string message)
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();

        // Act
        var result = await ProcessRunner.RunAsync("dotnet",
            [RepoPaths.ServerAssembly, "--data-dir", data.Path, flag, value], RepoPaths.ServerDirectory, cancellationToken);

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("Invalid configuration:", result.StandardError);
        Assert.Contains(message, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("stdio")]
    public async Task Start_DataFolderThatCannotBeMade_ExitsWithTwoNamingTheFolder_NoStackTrace(string mode)
    {
        // Arrange: a folder asked for inside a file.
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var file = data.File("a-file");
        await File.WriteAllTextAsync(file, "", cancellationToken);
        var folder = Path.Combine(file, "vibe");
        string[] arguments =
            [RepoPaths.ServerAssembly, .. mode == "stdio" ? ["--stdio"] : Array.Empty<string>(), "--data-dir", folder];

        // Act
        var result = await ProcessRunner.RunAsync("dotnet", arguments, RepoPaths.ServerDirectory, cancellationToken);

        // Assert
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"The data folder {folder} cannot be created:", result.StandardError);
        Assert.Contains("Choose another with --data-dir.", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput);
    }

    [Fact]
    public async Task Start_DatabaseFileThatIsNotADatabase_ExitsWithFourInOneLine_FileUnchanged()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        var notes = data.File("notes.txt");
        await File.WriteAllTextAsync(notes, "not a database", cancellationToken);

        // Act
        var result = await ProcessRunner.RunAsync("dotnet",
            [RepoPaths.ServerAssembly, "--data-dir", data.Path, "--db", notes], RepoPaths.ServerDirectory, cancellationToken);

        // Assert
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.StartsWith($"The database {notes} cannot be opened: SQLite Error 26: 'file is not a database'.", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput);
        Assert.Equal("not a database", await File.ReadAllTextAsync(notes, cancellationToken));
    }

    [Fact]
    public async Task Start_DataFolderAnotherServerServes_ExitsWithThreeNamingIt_AndStartsOnceThatOneHasCrashed()
    {
        // Arrange
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        await using var first = await ServerProcess.StartAsync(data.Path, cancellationToken);
        var ports = FreePorts.Take(2);

        // Act
        var second = await ProcessRunner.RunAsync("dotnet",
            [RepoPaths.ServerAssembly, "--data-dir", data.Path, "--dashboard-port", $"{ports[0]}", "--agent-port", $"{ports[1]}"],
            RepoPaths.ServerDirectory, cancellationToken);
        var firstStillServes = await HealthAsync(first, cancellationToken);
        await first.CrashAsync(cancellationToken);
        await using var afterCrash = await ServerProcess.StartAsync(data.Path, cancellationToken);

        // Assert
        Assert.True(second.ExitCode == 3, second.ToString());
        Assert.StartsWith($"Another Vibe Ensemble server is using the data folder {data.Path}", second.StandardError);
        Assert.DoesNotContain("   at ", second.StandardError + second.StandardOutput);
        Assert.Equal("healthy", firstStillServes);
        Assert.Equal("healthy", await HealthAsync(afterCrash, cancellationToken));
    }

    [Fact]
    public async Task Start_LockThatCannotBeOpened_ExitsWithTwoNamingTheFolder_AndDoctorSaysSoToo()
    {
        // Arrange: server.lock is a folder, which no one can open as a file (root included, unlike a file's mode).
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempDirectory();
        Directory.CreateDirectory(data.File(DataFolderLock.FileName));
        var ports = FreePorts.Take(2);
        string[] options = ["--data-dir", data.Path, "--dashboard-port", $"{ports[0]}", "--agent-port", $"{ports[1]}"];

        // Act
        var start = await ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerAssembly, .. options], RepoPaths.ServerDirectory, cancellationToken);
        var doctor = await ProcessRunner.RunAsync("dotnet", [RepoPaths.ServerAssembly, "doctor", .. options], RepoPaths.ServerDirectory, cancellationToken);

        // Assert
        Assert.True(start.ExitCode == 2, start.ToString());
        Assert.StartsWith($"The data folder {data.Path} cannot be used:", start.StandardError);
        Assert.DoesNotContain("   at ", start.StandardError + start.StandardOutput);
        Assert.Contains($"✘ data directory {data.Path} cannot be used", doctor.StandardOutput);
        Assert.Equal(1, doctor.ExitCode);
    }

    private static async Task<string?> HealthAsync(ServerProcess server, CancellationToken cancellationToken) =>
        (await server.GetJsonAsync<System.Text.Json.JsonElement>("/api/health", cancellationToken)).GetProperty("status").GetString();
}
