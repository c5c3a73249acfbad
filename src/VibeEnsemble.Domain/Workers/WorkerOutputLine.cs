namespace VibeEnsemble.Domain.Workers;

/// <summary>One captured line of a worker process's output, kept in order.</summary>
public sealed class WorkerOutputLine
{
    private WorkerOutputLine()
    {
    }

    public WorkerOutputLine(Guid workerId, long sequence, OutputStream stream, string text, DateTimeOffset at)
    {
        WorkerId = workerId;
        Sequence = sequence;
        Stream = stream;
        Text = text;
        At = at;
    }

    public long Id { get; private set; }

    public Guid WorkerId { get; private set; }

    public long Sequence { get; private set; }

    public OutputStream Stream { get; private set; }

    public string Text { get; private set; } = "";

    public DateTimeOffset At { get; private set; }
}
