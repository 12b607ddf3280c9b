using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Privacy.Masking;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Bot;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Features.Notifications;
using Kefu.Server.Features.Routing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kefu.Server.Persistence;

/// <summary>
/// The one DbContext. Each provider has a subclass (<see cref="SqliteKefuDbContext"/>,
/// <see cref="PostgresKefuDbContext"/>) only so that each owns its own migrations; all code uses this type.
/// </summary>
internal abstract class KefuDbContext(DbContextOptions options)
    : IdentityDbContext<AgentUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Features.Accounts.Access.CustomRole> CustomRoles => Set<Features.Accounts.Access.CustomRole>();
    public DbSet<Features.Accounts.Access.AgentInboxAccess> AgentInboxAccess => Set<Features.Accounts.Access.AgentInboxAccess>();
    public DbSet<Inbox> Inboxes => Set<Inbox>();
    public DbSet<PreChatSubmission> PreChatSubmissions => Set<PreChatSubmission>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactIdentity> ContactIdentities => Set<ContactIdentity>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<TimelineEntry> ConversationEvents => Set<TimelineEntry>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<Lease> Leases => Set<Lease>();
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<ArticleFeedback> ArticleFeedback => Set<ArticleFeedback>();
    public DbSet<BotTurn> BotTurns => Set<BotTurn>();
    public DbSet<HandoffPacket> HandoffPackets => Set<HandoffPacket>();
    public DbSet<Features.Bot.Flows.BotFlow> BotFlows => Set<Features.Bot.Flows.BotFlow>();
    public DbSet<Features.Bot.Flows.BotFlowVersion> BotFlowVersions => Set<Features.Bot.Flows.BotFlowVersion>();
    public DbSet<Features.Bot.Flows.BotFlowRun> BotFlowRuns => Set<Features.Bot.Flows.BotFlowRun>();
    public DbSet<Features.Bot.Flows.FlowSettings> FlowSettings => Set<Features.Bot.Flows.FlowSettings>();
    public DbSet<AgentProfile> AgentProfiles => Set<AgentProfile>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<InboxRouting> InboxRoutings => Set<InboxRouting>();
    public DbSet<QueueEntry> QueueEntries => Set<QueueEntry>();
    public DbSet<MaskingSettings> MaskingSettings => Set<MaskingSettings>();
    public DbSet<ProtectedMessageValue> ProtectedMessageValues => Set<ProtectedMessageValue>();
    public DbSet<Features.Accounts.SignIn.AgentSession> AgentSessions => Set<Features.Accounts.SignIn.AgentSession>();
    public DbSet<AgentNotification> Notifications => Set<AgentNotification>();
    public DbSet<Features.Automation.AutomationRule> AutomationRules => Set<Features.Automation.AutomationRule>();
    public DbSet<Features.Automation.Macro> Macros => Set<Features.Automation.Macro>();
    public DbSet<Features.Automation.AutomationRun> AutomationRuns => Set<Features.Automation.AutomationRun>();
    public DbSet<Features.Collaboration.Contracts.ConversationNote> Notes => Set<Features.Collaboration.Contracts.ConversationNote>();
    public DbSet<Features.Collaboration.Contracts.ConversationFollower> ConversationFollowers => Set<Features.Collaboration.Contracts.ConversationFollower>();
    public DbSet<Features.Collaboration.Contracts.ConversationSnooze> Snoozes => Set<Features.Collaboration.Contracts.ConversationSnooze>();
    public DbSet<Features.CannedReplies.CannedReply> CannedReplies => Set<Features.CannedReplies.CannedReply>();
    public DbSet<Features.CannedReplies.CannedReplyUsage> CannedReplyUsage => Set<Features.CannedReplies.CannedReplyUsage>();
    public DbSet<Features.Search.SearchDocument> SearchDocuments => Set<Features.Search.SearchDocument>();
    public DbSet<Features.Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Features.Webhooks.WebhookSubscription>();
    public DbSet<Features.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Features.Webhooks.WebhookDelivery>();
    public DbSet<Features.Surveys.SurveyTemplate> SurveyTemplates => Set<Features.Surveys.SurveyTemplate>();
    public DbSet<Features.Surveys.SurveyRule> SurveyRules => Set<Features.Surveys.SurveyRule>();
    public DbSet<Features.Surveys.SurveyResponse> SurveyResponses => Set<Features.Surveys.SurveyResponse>();
    public DbSet<Features.Analytics.ConversationFact> ConversationFacts => Set<Features.Analytics.ConversationFact>();
    public DbSet<Features.Analytics.ReportRollup> ReportRollups => Set<Features.Analytics.ReportRollup>();
    public DbSet<Features.Analytics.ReportHistogram> ReportHistograms => Set<Features.Analytics.ReportHistogram>();
    public DbSet<Features.Analytics.ReportDirtyHour> ReportDirtyHours => Set<Features.Analytics.ReportDirtyHour>();
    public DbSet<Features.Ai.AiSettings> AiSettings => Set<Features.Ai.AiSettings>();
    public DbSet<Features.Ai.AiUsage> AiUsage => Set<Features.Ai.AiUsage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KefuDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums as readable strings; every DateTime is UTC, and SQLite hands them back unspecified.
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    internal sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}

/// <summary>The SQLite flavour; its migrations are in <c>Persistence/Migrations/Sqlite</c>.</summary>
internal sealed class SqliteKefuDbContext(DbContextOptions<SqliteKefuDbContext> options) : KefuDbContext(options);

/// <summary>The PostgreSQL flavour; its migrations are in <c>Persistence/Migrations/Postgres</c>.</summary>
internal sealed class PostgresKefuDbContext(DbContextOptions<PostgresKefuDbContext> options) : KefuDbContext(options);
