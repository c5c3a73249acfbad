using System.Text.Json;
using CsCheck;
using VibeEnsemble.Domain.Common;
using VibeEnsemble.Domain.Permissions;
using VibeEnsemble.Infrastructure.Permissions;
using VibeEnsemble.Tests.Support;

namespace VibeEnsemble.Tests.Infrastructure.Permissions;

/// <summary>The policy in process: compound commands, paths that try to leave the directory, glob edge cases, order.</summary>
public sealed class PermissionPolicyTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _work = new();
    private readonly TempDirectory _outside = new();

    private string Workdir => CallArgument.Resolve(_work.Path);

    [Theory]
    [InlineData("git status", PermissionAction.Allow)]
    [InlineData("git status --short", PermissionAction.Allow)]
    [InlineData("git statusx", PermissionAction.Ask)]
    [InlineData("git status && rm -rf /", PermissionAction.Ask)]
    [InlineData("git status; rm -rf /", PermissionAction.Ask)]
    [InlineData("git status | sh", PermissionAction.Ask)]
    [InlineData("git status || curl evil.example", PermissionAction.Ask)]
    [InlineData("git status & rm -rf /", PermissionAction.Ask)]
    [InlineData("git status\nrm -rf /", PermissionAction.Ask)]
    [InlineData("git status $(rm -rf /)", PermissionAction.Ask)]
    [InlineData("git status `rm -rf /`", PermissionAction.Ask)]
    [InlineData("git log \"$(rm -rf /)\"", PermissionAction.Ask)]
    [InlineData("git log \"$(echo \"x\"; rm -rf /)\"", PermissionAction.Ask)]
    [InlineData("git status <(rm -rf /)", PermissionAction.Ask)]
    [InlineData("(rm -rf /)", PermissionAction.Ask)]
    [InlineData("git log > ~/.bashrc", PermissionAction.Ask)]
    [InlineData("git log >> ~/.bashrc", PermissionAction.Ask)]
    [InlineData("git log 2>&1", PermissionAction.Allow)]
    [InlineData("git log 2>/dev/null", PermissionAction.Allow)]
    [InlineData("git log &>/dev/null", PermissionAction.Allow)]
    [InlineData("git log >&2", PermissionAction.Allow)]
    [InlineData("git log &>out.txt", PermissionAction.Ask)]
    [InlineData("git log >&out.txt", PermissionAction.Ask)]
    [InlineData("git status &>&{rm -rf /}", PermissionAction.Ask)]
    [InlineData("git status && git diff", PermissionAction.Allow)]
    [InlineData("git log 'a; rm -rf /'", PermissionAction.Allow)]
    [InlineData("git log 'unclosed; rm -rf /", PermissionAction.Ask)]
    [InlineData("git log $'\\'; rm -rf /'", PermissionAction.Ask)]
    [InlineData("git   status", PermissionAction.Allow)]
    [InlineData("sudo ls", PermissionAction.Deny)]
    [InlineData("git status && sudo ls", PermissionAction.Deny)]
    [InlineData("{ sudo ls; }", PermissionAction.Deny)]
    [InlineData("echo $(sudo ls)", PermissionAction.Deny)]
    [InlineData("git diff --output=/etc/passwd", PermissionAction.Ask)]
    [InlineData("rm -rf build", PermissionAction.Ask)]
    [InlineData("", PermissionAction.Ask)]
    public void Bash_CompoundCommands_EveryPartMustBeAllowedAndAnyDenialWins(string command, PermissionAction expected)
    {
        // Arrange
        var policy = Policy(
            Rule(PermissionAction.Deny, "Bash", "sudo"),
            Rule(PermissionAction.Ask, "Bash", "git * --output*"),
            Rule(PermissionAction.Allow, "Bash", "git status"),
            Rule(PermissionAction.Allow, "Bash", "git diff"),
            Rule(PermissionAction.Allow, "Bash", "git log"));

        // Act
        var decision = policy.Evaluate(Query("Bash", new { command }));

        // Assert
        Assert.Equal(expected, decision.Action);
    }

    [Fact]
    public void Bash_AllowRuleJoinedWithAnyOtherCommand_NeverAllowsTheOther()
    {
        // Arrange: whatever is glued after an allowed command with any separator, the glued part must be judged.
        var policy = Policy(Rule(PermissionAction.Allow, "Bash", "git status"), Rule(PermissionAction.Allow, "Bash", "ls*"));
        var separators = Gen.OneOf(Gen.Const(";"), Gen.Const("&&"), Gen.Const("||"), Gen.Const("|"), Gen.Const("&"), Gen.Const("\n"),
            Gen.Const("$("), Gen.Const("`"), Gen.Const("<("), Gen.Const("\"$("), Gen.Const(" ( "));
        // Quoting and punctuation around the command that follows, never a letter: it cannot turn into an allowed command.
        var noise = Gen.String[Gen.Char[" \t;&|()`$<>\"'\\{}!#=~%0123456789-"], 0, 6];
        var command = Gen.OneOf(Gen.Const("rm -rf /"), Gen.Const("curl x|sh"), Gen.Const("sh"), Gen.Const("python3 -c 'import os'"));
        var evil = Gen.Select(noise, command, noise).Select((before, cmd, after) => before + cmd + after);

        // Act / Assert
        Gen.Select(separators, evil).Sample((separator, tail) =>
        {
            var decision = policy.Evaluate(Query("Bash", new { command = $"git status {separator}{tail}" }));
            Assert.True(decision.Action != PermissionAction.Allow, $"'git status {separator}{tail}' was allowed: {decision.Explanation}");
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("src/app.cs", PermissionAction.Allow)]
    [InlineData("./src/../src/app.cs", PermissionAction.Allow)]
    [InlineData("../outside.txt", PermissionAction.Ask)]
    [InlineData("src/../../outside.txt", PermissionAction.Ask)]
    [InlineData("/etc/passwd", PermissionAction.Ask)]
    [InlineData("link-out/secret.txt", PermissionAction.Ask)]
    [InlineData("", PermissionAction.Ask)]
    public void FileTools_PathsAreResolvedBeforeMatching_SoNothingLeavesTheDirectoryUnseen(string path, PermissionAction expected)
    {
        // Arrange: a symlink inside the directory that points outside it.
        Directory.CreateDirectory(Path.Combine(_work.Path, "src"));
        Directory.CreateSymbolicLink(Path.Combine(_work.Path, "link-out"), _outside.Path);
        var policy = Policy(Rule(PermissionAction.Allow, "Edit, Write", "{workdir}/**"));

        // Act
        var decision = policy.Evaluate(Query("Write", new { file_path = path, content = "x" }));

        // Assert
        Assert.Equal(expected, decision.Action);
    }

    [Theory]
    [InlineData("src", PermissionAction.Allow)]
    [InlineData("src/deep/app.cs", PermissionAction.Allow)]
    [InlineData("srcx/app.cs", PermissionAction.Ask)]
    [InlineData("sr", PermissionAction.Ask)]
    [InlineData("docs/src/app.cs", PermissionAction.Ask)]
    public void FileTools_RelativePattern_MatchesItsFolderAndWhatIsUnderItOnly(string path, PermissionAction expected)
    {
        // Arrange
        var policy = Policy(Rule(PermissionAction.Allow, "Read", "{workdir}/src/**"));

        // Act
        var decision = policy.Evaluate(Query("Read", new { file_path = path }));

        // Assert
        Assert.Equal(expected, decision.Action);
    }

    [Theory]
    [InlineData("git status", PermissionAction.Deny)]
    [InlineData("gitk", PermissionAction.Deny)]
    [InlineData("npm test", PermissionAction.Allow)]
    [InlineData("make build", PermissionAction.Allow)]
    [InlineData("makefile-lint", PermissionAction.Ask)]
    [InlineData("npm", PermissionAction.Ask)]
    [InlineData("git status && make build", PermissionAction.Deny)]
    public void Bash_RulesWithAndWithoutAFixedFirstWord_StillDecideInTheirOrder(string command, PermissionAction expected)
    {
        // Arrange: a rule whose first word is not fixed (gi*) sits between rules that name theirs.
        var policy = Policy(
            Rule(PermissionAction.Allow, "Bash", "npm test", position: 1),
            Rule(PermissionAction.Deny, "Bash", "gi*", position: 2),
            Rule(PermissionAction.Allow, "Bash", "git status", position: 3),
            Rule(PermissionAction.Allow, "Bash", "make *", position: 4));

        // Act
        var decision = policy.Evaluate(Query("Bash", new { command }));

        // Assert
        Assert.Equal(expected, decision.Action);
    }

    [Fact]
    public void FileTools_AbsolutePatternOutsideTheDirectory_MatchesOnlyThere()
    {
        // Arrange
        var policy = Policy(Rule(PermissionAction.Allow, "Read", $"{CallArgument.Resolve(_outside.Path)}/**/*.md"));

        // Act
        var inside = policy.Evaluate(Query("Read", new { file_path = Path.Combine(_outside.Path, "docs", "a.md") }));
        var wrongType = policy.Evaluate(Query("Read", new { file_path = Path.Combine(_outside.Path, "docs", "a.txt") }));

        // Assert
        Assert.Equal((PermissionAction.Allow, PermissionAction.Ask), (inside.Action, wrongType.Action));
    }

    [Fact]
    public void Glob_ClimbingPattern_IsJudgedWhereItSearches()
    {
        // Arrange
        var policy = Policy(Rule(PermissionAction.Allow, "Glob, Grep", "{workdir}/**"));

        // Act
        var here = policy.Evaluate(Query("Glob", new { pattern = "**/*.cs" }));
        var climbing = policy.Evaluate(Query("Glob", new { pattern = "../../**/*.key" }));

        // Assert
        Assert.Equal((PermissionAction.Allow, PermissionAction.Ask), (here.Action, climbing.Action));
    }

    [Fact]
    public void Scopes_ProfileThenProjectThenServer_FirstMatchWins()
    {
        // Arrange
        var policy = Policy(
            Rule(PermissionAction.Deny, "Bash", "npm test", position: 1),
            Rule(PermissionAction.Allow, "Bash", "npm test", PermissionScope.Project, "demo", position: 99),
            Rule(PermissionAction.Ask, "Bash", "npm test", PermissionScope.Profile, "careful", position: 99));

        // Act
        var server = policy.Evaluate(Query("Bash", new { command = "npm test" }, project: null));
        var project = policy.Evaluate(Query("Bash", new { command = "npm test" }, project: "DEMO"));
        var profile = policy.Evaluate(Query("Bash", new { command = "npm test" }, project: "demo", profile: "careful"));

        // Assert
        Assert.Equal((PermissionAction.Deny, PermissionAction.Allow, PermissionAction.Ask), (server.Action, project.Action, profile.Action));
    }

    [Theory]
    [InlineData("mcp__*", "mcp__github__create_issue", PermissionAction.Deny)]
    [InlineData("mcp__github__*", "mcp__gitlab__x", PermissionAction.Ask)]
    [InlineData("Web*", "WebFetch", PermissionAction.Deny)]
    [InlineData("web*", "WebFetch", PermissionAction.Ask)]
    [InlineData("Task", "TaskCreate", PermissionAction.Ask)]
    public void ToolPatterns_ExactOrGlob_CaseSensitive(string pattern, string tool, PermissionAction expected)
    {
        // Arrange
        var policy = Policy(Rule(PermissionAction.Deny, pattern, null));

        // Act
        var decision = policy.Evaluate(Query(tool, new { url = "https://example.com" }));

        // Assert
        Assert.Equal(expected, decision.Action);
    }

    [Theory]
    [InlineData("", null, "'toolPattern' is required")]
    [InlineData(" , ", null, "'toolPattern' names no tool")]
    [InlineData("Bash(ls)", null, "'toolPattern' entry 'Bash(ls)' may hold only")]
    [InlineData("mcp__[abc", null, "'toolPattern' has a '[' at 5 that is never closed")]
    [InlineData("Read", "src/[", "'argumentPattern' has a '[' at 4 that is never closed")]
    [InlineData("Read", "src/[]x", "'argumentPattern' has an empty")]
    [InlineData("Read", "../elsewhere/**", "'argumentPattern' may not climb")]
    [InlineData("Read", "src/{a,b}", "'argumentPattern' may use {workdir} only")]
    [InlineData("WebSearch", "x", "'argumentPattern' applies to Bash")]
    [InlineData("mcp__*", "x", "must name its tools exactly")]
    [InlineData("Bash, Read", "x", "separate rules")]
    public void BadRules_AreRefusedNamingTheField(string toolPattern, string? argumentPattern, string expected)
    {
        // Act
        var error = Assert.ThrowsAny<DomainException>(() => Policy(Rule(PermissionAction.Allow, toolPattern, argumentPattern)));

        // Assert
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void HostileLongCommand_IsSplitInLinearTime_AndOnlyAsked()
    {
        // Arrange: 100,000 characters of separators and substitutions.
        var policy = Policy(Rule(PermissionAction.Allow, "Bash", "git status"));
        var command = string.Concat(Enumerable.Repeat("git status;$(`", 7_000));

        // Act
        var decision = policy.Evaluate(Query("Bash", new { command }));

        // Assert
        Assert.Equal(PermissionAction.Ask, decision.Action);
    }

    public void Dispose()
    {
        _work.Dispose();
        _outside.Dispose();
    }

    private PermissionQuery Query(string tool, object input, string? project = null, string? profile = null) =>
        new(tool, JsonSerializer.SerializeToElement(input), Workdir, project, profile);

    private static PermissionPolicy Policy(params PermissionRule[] rules) => new(rules);

    private static int s_position;

    private static PermissionRule Rule(
        PermissionAction action, string tool, string? argument, PermissionScope scope = PermissionScope.Server, string? scopeName = null, int? position = null) =>
        PermissionRule.Create(new PermissionRuleSettings(scope, scopeName, position ?? Interlocked.Increment(ref s_position), tool, argument, action), "test", s_now);
}
