using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>Wakes the router: something entered the queue, an agent freed up, presence or settings changed.</summary>
internal sealed class RoutingSignal() : WakeSignal("routing");
