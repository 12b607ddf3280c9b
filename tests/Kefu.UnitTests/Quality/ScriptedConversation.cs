using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Quality;
using Kefu.Server.Features.Quality.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Quality;

/// <summary>A conversation written line by line against a fake clock, then scored by one item.</summary>
internal sealed class ScriptedConversation
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly List<ScriptMessage> _messages = [];
    private readonly List<ScriptEvent> _events = [];
    public static readonly Guid Agent = Guid.NewGuid();

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    public ScriptedConversation After(int seconds)
    {
        _clock.Advance(TimeSpan.FromSeconds(seconds));
        return this;
    }

    public ScriptedConversation Visitor(string text) => Say(SenderType.Visitor, text);

    public ScriptedConversation AgentSays(string text, int masked = 0) => Say(SenderType.Agent, text, masked);

    public ScriptedConversation Bot(string text) => Say(SenderType.Bot, text);

    public ScriptedConversation Event(string type, string? kind = null)
    {
        _events.Add(new ScriptEvent(type, Now, kind));
        return this;
    }

    public Guid Last => _messages[^1].Id;

    public Guid MessageAt(int index) => _messages[index].Id;

    private ScriptedConversation Say(SenderType sender, string text, int masked = 0)
    {
        _messages.Add(new ScriptMessage(Guid.NewGuid(), sender, sender == SenderType.Agent ? Agent : null, text, Now, masked));
        return this;
    }

    public ConversationScript Script() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Agent, Now, _messages, _events);

    public RuleResult Score(string rule, ItemParameters? parameters = null)
    {
        var card = new CompiledScorecard(Guid.NewGuid(), Guid.NewGuid(), 1, "t", null, [new ScorecardItem(rule, 1, null, parameters)]);
        return ScoringEngine.Evaluate(card.Items[0], Script());
    }
}
