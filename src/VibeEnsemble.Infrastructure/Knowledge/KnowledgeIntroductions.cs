using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VibeEnsemble.Infrastructure.Agents;
using VibeEnsemble.Infrastructure.Events;
using VibeEnsemble.Infrastructure.Messages;

namespace VibeEnsemble.Infrastructure.Knowledge;

/// <summary>
/// Cross-agent learning: an agent registering for the first time with capabilities or specializations is sent (in its
/// inbox, pushed where it listens) the newest knowledge entries tagged with any of them, so it starts from what others
/// learned. Spawned workers are left out: their first turn already carries the entries relevant to their task.
/// </summary>
internal sealed partial class KnowledgeIntroductions(
    CoordinationEventBus events, KnowledgeService knowledge, MessageService messages, ILogger<KnowledgeIntroductions> logger) : BackgroundService
{
    private const int Shown = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var registrations = events.Subscribe(EventKinds.AgentRegistered);
        try
        {
            await foreach (var change in registrations.ReadAllAsync(stoppingToken))
            {
                if (change is AgentChanged { Change: AgentChange.Registered, Agent: var agent } registered
                    && registered.ConnectionId?.StartsWith("worker:", StringComparison.Ordinal) != true)
                {
                    await IntroduceAsync(agent, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task IntroduceAsync(AgentSnapshot agent, CancellationToken cancellationToken)
    {
        try
        {
            var hits = new Dictionary<Guid, (KnowledgeHit Hit, string Area)>();
            foreach (var area in agent.Specializations.Concat(agent.Capabilities).Distinct(StringComparer.OrdinalIgnoreCase).Take(10))
            {
                foreach (var hit in await knowledge.SearchAsync(new SearchKnowledgeRequest(Tag: area, Limit: Shown), cancellationToken))
                {
                    hits.TryAdd(hit.Id, (hit, area));
                }
            }

            if (hits.Count == 0)
            {
                return;
            }

            var lines = hits.Values.OrderByDescending(h => h.Hit.UpdatedAt).Take(Shown)
                .Select(h => $"- {h.Hit.Title} ({h.Area}; get_knowledge {h.Hit.Id})");
            await messages.NotifyAsync(agent.Name, "Knowledge in your areas",
                $"Others have shared these about what you do:\n{string.Join('\n', lines)}\nsearch_knowledge finds more.", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An introduction is a courtesy: failing it must not disturb anything else.
            LogIntroductionFailed(logger, ex, agent.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell agent {AgentName} about knowledge in its areas.")]
    private static partial void LogIntroductionFailed(ILogger logger, Exception exception, string agentName);
}
