namespace VibeEnsemble.Tests.Support;

internal static class TestConstants
{
    /// <summary>The one timeout for anything a test waits on.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
}
