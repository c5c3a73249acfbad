using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using VibeEnsemble.Domain.Workers;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Persistence;

namespace VibeEnsemble.Infrastructure.Workers;

/// <summary>
/// Where one worker's output goes: each line is numbered, cut to the stored length (the whole of a longer line kept in
/// a file), written through the writer in batches as fast as it takes them, and told to live views line by line.
/// Lines past the per-worker limit are counted, and a marker says how many.
/// </summary>
internal sealed partial class WorkerOutputSink(WorkerRunServices services, Guid workerId)
{
    private readonly Channel<WorkerOutputLine> _lines = Channel.CreateBounded<WorkerOutputLine>(
        new BoundedChannelOptions(1_024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private long _sequence;
    private long _dropped;

    /// <summary>No more lines will come; <see cref="RunAsync"/> finishes once the last are written.</summary>
    public void Complete() => _lines.Writer.TryComplete();

    public async Task StoreAsync(OutputStream stream, string line)
    {
        var options = services.Options;
        if (_sequence >= options.OutputLinesPerWorker)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        var sequence = Interlocked.Increment(ref _sequence);
        var kept = line;
        if (line.Length > options.OutputLineMaxChars)
        {
            var whole = await KeepWholeAsync(sequence, line);
            kept = string.Concat(line.AsSpan(0, options.OutputLineMaxChars), $" …[{line.Length - options.OutputLineMaxChars} more characters; the whole line is in {whole}]");
        }

        var entry = new WorkerOutputLine(workerId, sequence, stream, kept, services.Time.GetUtcNow());
        await _lines.Writer.WriteAsync(entry);
    }

    /// <summary>
    /// A line too long to store in the database (a multi-megabyte final text) is kept whole in a file of its own, in
    /// the worker's output folder, which the sweep deletes with the worker's other output.
    /// </summary>
    private async Task<string> KeepWholeAsync(long sequence, string line)
    {
        var directory = Path.Combine(services.OutputDirectory, workerId.ToString("N"));
        var path = Path.Combine(directory, $"line-{sequence}.txt");
        try
        {
            PrivateFolder.Create(directory);
            await File.WriteAllTextAsync(path, line);
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogOutputLost(services.Logger, ex, workerId, 1);
            return "no file (it could not be written)";
        }
    }

    /// <summary>Writes output in batches as fast as the writer takes them, and tells live views line by line.</summary>
    public async Task RunAsync()
    {
        var batch = new List<WorkerOutputLine>(256);
        while (await _lines.Reader.WaitToReadAsync())
        {
            while (batch.Count < 256 && _lines.Reader.TryRead(out var line))
            {
                batch.Add(line);
            }

            try
            {
                await services.Writer.ExecuteAsync(new AppendOutputCommand([.. batch]), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogOutputLost(services.Logger, ex, workerId, batch.Count);
            }

            if (services.Events.HasSubscribers(EventKinds.WorkerOutput))
            {
                foreach (var line in batch)
                {
                    services.Events.Publish(new WorkerOutputAppended(workerId, WorkerOutput.Describe(line)));
                }
            }

            batch.Clear();
        }

        if (_dropped > 0)
        {
            var marker = new WorkerOutputLine(workerId, _sequence + 1, OutputStream.StandardError,
                $"[{_dropped} more lines not kept: the limit is {services.Options.OutputLinesPerWorker} per worker]", services.Time.GetUtcNow());
            await services.Writer.ExecuteAsync(new AppendOutputCommand([marker]), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store {Count} output lines of worker {WorkerId}.")]
    private static partial void LogOutputLost(ILogger logger, Exception exception, Guid workerId, int count);
}
