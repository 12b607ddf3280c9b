using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>
/// The workspace's audit trail: who did what, when, from where. Entries are append-only (the database refuses
/// updates) and removed only by the audit retention job. An entry never holds personal data or secrets:
/// name the target by id, put counts and setting names in the detail, never values typed by people.
/// </summary>
internal interface IAuditLog
{
    /// <summary>
    /// Stages an entry in <paramref name="db"/>: it is committed by the caller's <c>SaveChangesAsync</c>, in the
    /// same transaction as the change it describes, or not at all.
    /// </summary>
    void Add(KefuDbContext db, AuditRecord record);

    /// <summary>Writes an entry now, for events with nothing else to commit (failed sign-ins, exports, reveals).</summary>
    Task WriteAsync(AuditRecord record, CancellationToken ct = default);
}

/// <summary>One thing to audit. Actor, workspace and client address default to the current request's.</summary>
/// <param name="Action">What happened: a constant of <see cref="AuditActions"/>.</param>
/// <param name="TargetType">The kind of object acted on (<c>agent</c>, <c>inbox</c>, <c>role</c>…), if any.</param>
/// <param name="TargetId">Its id, if any.</param>
/// <param name="Detail">Short, personal-data-free detail (a setting's name, counts), if any.</param>
public sealed record AuditRecord(string Action, string? TargetType = null, string? TargetId = null, string? Detail = null)
{
    /// <summary>The workspace; defaults to the signed-in user's.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>Who acted; defaults to the signed-in user. Null with no request means the system.</summary>
    public Guid? ActorId { get; init; }

    /// <summary>The actor's display name at the time; defaults to the signed-in user's.</summary>
    public string? ActorName { get; init; }

    /// <summary>Whether it worked.</summary>
    public AuditOutcome Outcome { get; init; } = AuditOutcome.Succeeded;

    /// <summary>
    /// This record with <paramref name="actor"/> as the actor and workspace. Needed where there is no HTTP request to
    /// read them from: console (Blazor) circuits, whose events run outside any request.
    /// </summary>
    public AuditRecord By(AgentIdentity actor) => this with { TenantId = actor.TenantId, ActorId = actor.UserId, ActorName = actor.DisplayName };
}

/// <summary>How an audited action ended.</summary>
public enum AuditOutcome
{
    /// <summary>Done.</summary>
    Succeeded,

    /// <summary>Tried and failed (a wrong password, an invalid code).</summary>
    Failed,

    /// <summary>Refused for lack of permission.</summary>
    Denied,
}

/// <summary>The audited actions, named <c>resource.action</c>. Add new ones here, never inline strings.</summary>
public static class AuditActions
{
    public const string SignedIn = "auth.signed_in";
    public const string SignInFailed = "auth.sign_in_failed";
    public const string LockedOut = "auth.locked_out";
    public const string SignedOut = "auth.signed_out";
    public const string SessionsEnded = "auth.sessions_ended";
    public const string TokenIssued = "auth.token_issued";
    public const string PasswordChanged = "auth.password_changed";
    public const string SsoSignedIn = "auth.sso_signed_in";
    public const string SsoRefused = "auth.sso_refused";
    public const string SsoProvisioned = "agent.sso_provisioned";
    /// <summary>One session ended (sign-out, the session list, refresh-token reuse); the target is the session.</summary>
    public const string SessionEnded = "auth.session_ended";
    /// <summary>A wrong two-factor or recovery code (at sign-in, enrolment, turning off, new recovery codes).</summary>
    public const string TwoFactorFailed = "auth.two_factor_failed";
    /// <summary>A recovery code was spent to sign in.</summary>
    public const string RecoveryCodeUsed = "auth.recovery_code_used";
    /// <summary>A refresh token that had already been used came back: its session was ended.</summary>
    public const string RefreshTokenReused = "auth.refresh_token_reused";
    /// <summary>A reset link was asked for (outcome Failed when no account has the e-mail).</summary>
    public const string PasswordResetRequested = "auth.password_reset_requested";
    /// <summary>A password was set with a reset link (outcome Failed for a bad or used token).</summary>
    public const string PasswordResetCompleted = "auth.password_reset_completed";
    public const string TwoFactorEnabled = "auth.two_factor_enabled";
    public const string TwoFactorDisabled = "auth.two_factor_disabled";
    public const string RecoveryCodesRegenerated = "auth.recovery_codes_regenerated";

    public const string AgentCreated = "agent.created";
    public const string AgentUpdated = "agent.updated";
    public const string AgentRoleChanged = "agent.role_changed";
    public const string AgentScopeChanged = "agent.scope_changed";
    public const string AgentDeactivated = "agent.deactivated";
    public const string AgentReactivated = "agent.reactivated";
    public const string TeamCreated = "team.created";

    /// <summary>An invitation mail was sent (again) to a person who has not set a password yet.</summary>
    public const string AgentInvited = "agent.invited";

    /// <summary>An invited person chose their password.</summary>
    public const string InvitationAccepted = "agent.invitation_accepted";

    /// <summary>A team was renamed or its members replaced (counts in the detail).</summary>
    public const string TeamUpdated = "team.updated";
    public const string TeamDeleted = "team.deleted";

    public const string RoleCreated = "role.created";
    public const string RoleUpdated = "role.updated";
    public const string RoleDeleted = "role.deleted";

    public const string SettingChanged = "setting.changed";
    public const string ArticleCreated = "article.created";
    public const string ArticleUpdated = "article.updated";
    public const string ArticleDeleted = "article.deleted";
    public const string ArticlesImported = "article.imported";

    public const string DataExported = "data.exported";
    public const string AuditExported = "audit.exported";
    public const string PersonalDataUnmasked = "pii.unmasked";
    public const string AuditPruned = "audit.pruned";

    public const string PermissionDenied = "access.denied";

    /// <summary>The retention job erased an inbox's expired conversations (counts in the detail).</summary>
    public const string RetentionApplied = "retention.applied";

    /// <summary>An inbox's retention period was set or turned off.</summary>
    public const string RetentionChanged = "retention.changed";

    /// <summary>A contact's data was exported on request.</summary>
    public const string ContactExported = "contact.exported";

    /// <summary>A contact's name, e-mail, phone or tags were edited (the changed fields' names in the detail).</summary>
    public const string ContactUpdated = "contact.updated";

    /// <summary>A contact was merged into another (the survivor's id and the moved conversations' count in the detail).</summary>
    public const string ContactMerged = "contact.merged";

    /// <summary>Contacts were created from a CSV file (the count in the detail).</summary>
    public const string ContactsImported = "contact.imported";

    /// <summary>A contact was erased on request (counts in the detail).</summary>
    public const string ContactErased = "contact.erased";

    /// <summary>A forced, blocking garbage collection (memory diagnostics).</summary>
    public const string MemoryCollected = "diagnostics.memory_collected";

    /// <summary>Every action constant of this class, for labels and filters.</summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(AuditActions)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)];
}
