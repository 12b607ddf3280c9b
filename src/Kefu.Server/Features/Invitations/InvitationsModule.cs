namespace Kefu.Server.Features.Invitations;

/// <summary>
/// Proactive invitations (issue 17, ADR 0044): per-inbox rules the server evaluates on the widget's check-ins, with a
/// frequency cap it enforces; the visitors browsing now and an agent's own invitation; shown, accepted, dismissed and
/// converted counted per rule.
/// </summary>
internal static class InvitationsModule
{
    public static IServiceCollection AddInvitations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InvitationsOptions>().Bind(configuration.GetSection(InvitationsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OnlineVisitors>();
        services.AddSingleton<ListInvitationRules>();
        services.AddSingleton<SaveInvitationRules>();
        services.AddSingleton<CheckInvitation>();
        services.AddSingleton<AnswerInvitation>();
        services.AddSingleton<ListOnlineVisitors>();
        services.AddSingleton<InviteVisitor>();
        services.AddSingleton<Contracts.IInvitationFanout, Realtime.InvitationFanout>();
        return services;
    }

    public static IEndpointRouteBuilder MapInvitationsEndpoints(this IEndpointRouteBuilder api)
    {
        ListInvitationRules.Map(api);
        SaveInvitationRules.Map(api);
        CheckInvitation.Map(api);
        AnswerInvitation.Map(api);
        ListOnlineVisitors.Map(api);
        InviteVisitor.Map(api);
        return api;
    }
}
