namespace Kefu.Server.Features.Calls;

/// <summary>The call use cases the two hubs call, as one constructor parameter (the hubs' call methods live in their own partial files).</summary>
internal sealed record CallHubs(StartCall Start, AnswerCall Answer, HangUpCall HangUp, RelayCallSignal Relay, GetCallConfig Config,
    CallStartBudget Budget, CallLifecycle Lifecycle, InboxCallSettingsStore InboxSettings);
