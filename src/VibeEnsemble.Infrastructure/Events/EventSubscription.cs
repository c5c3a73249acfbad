using System.Threading.Channels;

namespace VibeEnsemble.Infrastructure.Events;

/// <summary>A live feed of events; dispose it to stop receiving.</summary>
public sealed class EventSubscription(ChannelReader<CoordinationEvent> reader, Action unsubscribe) : IDisposable
{
    private int _disposed;

    public IAsyncEnumerable<CoordinationEvent> ReadAllAsync(CancellationToken cancellationToken) =>
        reader.ReadAllAsync(cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            unsubscribe();
        }
    }
}
