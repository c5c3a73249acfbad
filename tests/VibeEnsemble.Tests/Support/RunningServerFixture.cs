namespace VibeEnsemble.Tests.Support;

/// <summary>One real server process shared by the tests of a class, on its own data folder.</summary>
public sealed class RunningServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private ServerProcess? _server;

    internal ServerProcess Server => _server ?? throw new InvalidOperationException("Server not started.");

    public async ValueTask InitializeAsync() =>
        _server = await ServerProcess.StartAsync(
            _data.Path, TestContext.Current.CancellationToken, "--VibeEnsemble:Presence:FlushInterval", "00:00:00.2");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _data.Dispose();
    }
}
