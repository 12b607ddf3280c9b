using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>Sessions, refresh-token rotation, password reset and two-factor sign-in: part of Accounts, wired by <see cref="AccountsModule"/>.</summary>
internal static class SignInModule
{
    public static IServiceCollection AddAgentSignIn(this IServiceCollection services)
    {
        // After AddAuthentication: the last registration is the one resolved.
        services.AddScoped<IAuthenticationService, SessionIssuingAuthenticationService>();
        services.AddHttpContextAccessor();
        services.AddScoped<SessionStarter>();
        services.AddScoped<SessionValidator>();
        services.AddScoped<SessionRotation>();
        services.AddScoped<SessionEnder>();
        services.AddSingleton<TwoFactorAttempts>();
        services.AddSingleton<PasswordResetQueue>();
        services.AddHostedService<PasswordResetMailer>();
        services.AddScoped<TwoFactorKeys>();
        services.AddScoped<ListSessions>();
        services.AddScoped<EndSession>();
        services.AddScoped<EndAgentSessions>();
        services.AddScoped<GetTwoFactorStatus>();
        services.AddScoped<StartTwoFactorEnrolment>();
        services.AddScoped<EnableTwoFactor>();
        services.AddScoped<DisableTwoFactor>();
        services.AddScoped<RegenerateRecoveryCodes>();
        services.AddScoped<GetWorkspaceSecurity>();
        services.AddScoped<SetWorkspaceSecurity>();
        services.AddScoped<RequestPasswordReset>();
        services.AddScoped<ConfirmPasswordReset>();
        return services;
    }

    /// <summary>The authenticator (TOTP) and the password-reset token providers.</summary>
    public static IdentityBuilder AddSignInTokenProviders(this IdentityBuilder identity)
    {
        identity.Services.Configure<IdentityOptions>(o => o.Tokens.PasswordResetTokenProvider = PasswordResetTokens.ProviderName);
        return identity
            .AddTokenProvider<AuthenticatorTokenProvider<AgentUser>>(TokenOptions.DefaultAuthenticatorProvider)
            .AddTokenProvider<PasswordResetTokens>(PasswordResetTokens.ProviderName);
    }

    public static void Map(IEndpointRouteBuilder api)
    {
        ListSessions.Map(api);
        EndSession.Map(api);
        EndAgentSessions.Map(api);
        GetTwoFactorStatus.Map(api);
        StartTwoFactorEnrolment.Map(api);
        EnableTwoFactor.Map(api);
        DisableTwoFactor.Map(api);
        RegenerateRecoveryCodes.Map(api);
        GetWorkspaceSecurity.Map(api);
        SetWorkspaceSecurity.Map(api);
        RequestPasswordReset.Map(api);
        ConfirmPasswordReset.Map(api);
    }
}
