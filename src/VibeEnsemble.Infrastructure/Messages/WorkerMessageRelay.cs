using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Workers;

namespace VibeEnsemble.Infrastructure.Messages;

/// <summary>
/// A message to a spawned worker whose process is running is also written into its session as a user turn, so the
/// model reads it mid-task without polling; it then counts as read. One that arrives after the session has answered
/// stays in the worker's inbox like any other.
/// </summary>
internal sealed partial class WorkerMessageRelay(
    CoordinationEventBus events, WorkerRegistry workers, MessageService messages, ILogger<WorkerMessageRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var sent = events.Subscribe(EventKinds.Message);
        try
        {
            await foreach (var change in sent.ReadAllAsync(stoppingToken))
            {
                if (change is not MessageSent { Message: var message, Recipients: { Count: > 0 } recipients } || workers.Count == 0)
                {
                    continue;
                }

                foreach (var run in workers.Running.Where(r => recipients.Contains(r.AgentId)))
                {
                    try
                    {
                        if (await run.TellAsync(Turn(message), stoppingToken))
                        {
                            await messages.MarkReadAsync(run.AgentId, message.Id, stoppingToken);
                            LogTold(logger, message.Id, run.WorkerId);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogTellFailed(logger, ex, message.Id, run.WorkerId);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static string Turn(MessageSnapshot message) =>
        $"""
        Message from {message.Sender} through the Vibe Ensemble{(message.Subject.Length > 0 ? $" ({message.Subject})" : "")}{(message.Importance != Domain.Messages.MessageImportance.Normal ? $", {message.Importance.ToString().ToLowerInvariant()}" : "")}:
        {message.Body}

        If it needs an answer, reply with send_message to '{message.Sender}'{(message.AckRequired ? $", and acknowledge_message {message.Id}" : "")}; then go on with your task.
        """;

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} written into the session of worker {WorkerId}.")]
    private static partial void LogTold(ILogger logger, Guid messageId, Guid workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} could not be written into worker {WorkerId}; it stays in its inbox.")]
    private static partial void LogTellFailed(ILogger logger, Exception exception, Guid messageId, Guid workerId);
}
