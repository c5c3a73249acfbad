namespace VibeEnsemble.Infrastructure.Persistence.Writing;

/// <summary>Tuning of the batching writer. Bound from <c>VibeEnsemble:Storage:Writer</c>.</summary>
public sealed class WriterOptions
{
    public const string SectionName = "VibeEnsemble:Storage:Writer";

    /// <summary>Commands waiting for the writer before callers are made to wait for room.</summary>
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>Most commands committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 512;
}
