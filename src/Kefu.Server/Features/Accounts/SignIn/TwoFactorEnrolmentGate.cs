using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// In a workspace that requires two-factor sign-in, a password session without a second factor may only enrol: the
/// API and the agent hub answer 403 <c>two_factor_enrolment_required</c>, and console pages lead to
/// <c>/console/account</c>. The session check (<see cref="SessionValidator"/>) marks the request; this reads the mark.
/// </summary>
internal static class TwoFactorEnrolmentGate
{
    /// <summary>What such a session may still reach: enrolment, its own sessions, signing out.</summary>
    private static readonly string[] Allowed =
        ["/api/v1/account/two-factor", "/api/v1/account/sessions", "/api/v1/auth/logout", "/console/account", "/console/logout", "/console/login"];

    public static IApplicationBuilder UseTwoFactorEnrolment(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Items[SessionValidator.EnrolmentRequiredItem] is not true || Allowed.Any(p => http.Request.Path.StartsWithSegments(p)))
        {
            await next(http);
            return;
        }

        if (http.Request.Path.StartsWithSegments("/console"))
        {
            http.Response.Redirect("/console/account");
            return;
        }

        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/hubs/agent"))
        {
            await KefuProblems.Problem(SignInErrors.EnrolmentRequired).ExecuteAsync(http);
            return;
        }

        await next(http); // static files, the circuit (/_blazor) that the enrolment page itself needs
    });
}
