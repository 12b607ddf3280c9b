using System.Globalization;
using Kefu.Server.Features.Accounts.People;
using Kefu.Server.Features.Automation;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Console.Pages.Settings.Automation;

/// <summary>A choice of a dropdown: the stored value and the text shown for it.</summary>
/// <param name="Value">The stored value.</param>
/// <param name="Label">The text shown.</param>
public sealed record AutomationOption(string Value, string Label);

/// <summary>The workspace's teams, agents, inboxes, contact attributes, canned replies and webhooks the editors offer for ids, loaded once per page.</summary>
/// <param name="Teams">Teams by id.</param>
/// <param name="Agents">Active agents by id.</param>
/// <param name="Inboxes">Inboxes in use by id.</param>
public sealed record AutomationChoices(IReadOnlyList<AutomationOption> Teams, IReadOnlyList<AutomationOption> Agents, IReadOnlyList<AutomationOption> Inboxes)
{
    /// <summary>Nothing to choose from (before the page has loaded).</summary>
    public static readonly AutomationChoices None = new([], [], []);

    /// <summary>Custom contact attributes by key, labelled in the reader's language.</summary>
    public IReadOnlyList<AutomationOption> Attributes { get; init; } = [];

    /// <summary>Team and shared canned replies by id (a personal one would stop working for the next admin who saves the rule).</summary>
    public IReadOnlyList<AutomationOption> CannedReplies { get; init; } = [];

    /// <summary>The workspace's webhooks by id, labelled by description or address.</summary>
    public IReadOnlyList<AutomationOption> Webhooks { get; init; } = [];

    internal static async Task<AutomationChoices> LoadAsync(IDbContextFactory<KefuDbContext> dbs, ListAgents people, Guid tenantId)
    {
        var agents = (await people.HandleAsync(tenantId, null, CancellationToken.None)).Where(p => p.Active).OrderBy(p => p.DisplayName).ToList();
        await using var db = await dbs.CreateDbContextAsync();
        var teams = await db.Teams.AsNoTracking().Where(t => t.TenantId == tenantId).OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync();
        var inboxes = await db.Inboxes.AsNoTracking().Where(i => i.TenantId == tenantId && i.ArchivedAt == null).OrderBy(i => i.Name).Select(i => new { i.Id, i.Name }).ToListAsync();
        var attributes = await db.Set<Features.Contacts.ContactAttributeDefinition>().AsNoTracking().Where(d => d.TenantId == tenantId).OrderBy(d => d.Key)
            .Select(d => new { d.Key, d.LabelEn, d.LabelZh }).ToListAsync();
        var replies = await db.CannedReplies.AsNoTracking().Where(r => r.TenantId == tenantId && r.Scope != Features.CannedReplies.Contracts.CannedReplyScope.Personal)
            .OrderBy(r => r.Title).Select(r => new { r.Id, r.Title, r.Shortcut }).Take(500).ToListAsync();
        var hooks = await db.WebhookSubscriptions.AsNoTracking().Where(w => w.TenantId == tenantId).OrderBy(w => w.CreatedAt)
            .Select(w => new { w.Id, w.Description, w.Url }).ToListAsync();
        var zh = CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        return new(
            [.. teams.Select(t => new AutomationOption(t.Id.ToString(), t.Name))],
            [.. agents.Select(a => new AutomationOption(a.Id.ToString(), a.DisplayName))],
            [.. inboxes.Select(i => new AutomationOption(i.Id.ToString(), i.Name))])
        {
            Attributes = [.. attributes.Select(a => new AutomationOption(a.Key, $"{(zh ? a.LabelZh : a.LabelEn)} ({a.Key})"))],
            CannedReplies = [.. replies.Select(r => new AutomationOption(r.Id.ToString(), $"{r.Title} /{r.Shortcut}"))],
            Webhooks = [.. hooks.Select(w => new AutomationOption(w.Id.ToString(), string.IsNullOrEmpty(w.Description) ? w.Url : $"{w.Description} ({w.Url})"))],
        };
    }
}

/// <summary>One editable action row (the request record is immutable; the form binds to this).</summary>
public sealed class ActionRow
{
    /// <summary>The action type.</summary>
    public string? Type { get; set; }

    /// <summary>The value; its meaning depends on the type or field.</summary>
    public string? Value { get; set; }
}

/// <summary>One editable condition row.</summary>
public sealed class ConditionRow
{
    /// <summary>The field tested.</summary>
    public string? Field { get; set; }

    /// <summary>How it is compared.</summary>
    public string? Operator { get; set; }

    /// <summary>For a contact-attribute condition: the attribute's key.</summary>
    public string? Key { get; set; }

    /// <summary>The value; its meaning depends on the type or field.</summary>
    public string? Value { get; set; }
}

/// <summary>The rule editor's state; <see cref="ToRequest"/> gives exactly what the REST API would receive.</summary>
public sealed class RuleForm
{
    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>When the rule runs.</summary>
    public string Trigger { get; set; } = AutomationNames.MessageCreated;

    /// <summary>Whose message a message rule listens to.</summary>
    public string Sender { get; set; } = "visitor";

    /// <summary>Minutes of silence for an idle rule.</summary>
    public int IdleMinutes { get; set; } = 60;

    /// <summary>all or any.</summary>
    public string Match { get; set; } = "all";

    /// <summary>Whether the rule runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The conditions, in order.</summary>
    public List<ConditionRow> Conditions { get; } = [];

    /// <summary>The actions, in order.</summary>
    public List<ActionRow> Actions { get; } = [new() { Type = "add_tags" }];

    /// <summary>The request the REST API would receive for this form.</summary>
    public RuleRequest ToRequest() => new(
        Name, Trigger, Trigger == AutomationNames.MessageCreated ? Sender : null, Trigger == AutomationNames.Idle ? IdleMinutes : null, Match,
        [.. Conditions.Select(c => new RuleCondition(c.Field, c.Operator, c.Value, c.Field == "attribute" ? c.Key : null))], [.. Actions.Select(a => new RuleAction(a.Type, a.Value))], Enabled);

    /// <summary>A form holding a stored one.</summary>
    public static RuleForm From(RuleDto r)
    {
        var form = new RuleForm
        {
            Name = r.Name, Trigger = r.Trigger, Sender = r.Trigger == AutomationNames.MessageCreated ? r.Sender : "visitor",
            IdleMinutes = r.IdleMinutes > 0 ? r.IdleMinutes : 60, Match = r.Match, Enabled = r.Enabled,
        };
        form.Conditions.AddRange(r.Conditions.Select(c => new ConditionRow { Field = c.Field, Operator = c.Operator, Value = c.Value, Key = c.Key }));
        form.Actions.Clear();
        form.Actions.AddRange(r.Actions.Select(a => new ActionRow { Type = a.Type, Value = a.Value }));
        return form;
    }
}

/// <summary>The macro editor's state.</summary>
public sealed class MacroForm
{
    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>Shared with the workspace.</summary>
    public bool Shared { get; set; }

    /// <summary>The actions, in order.</summary>
    public List<ActionRow> Actions { get; } = [new() { Type = "add_tags" }];

    /// <summary>The request the REST API would receive for this form.</summary>
    public MacroRequest ToRequest() => new(Name, Shared, [.. Actions.Select(a => new RuleAction(a.Type, a.Value))]);

    /// <summary>A form holding a stored one.</summary>
    public static MacroForm From(MacroDto m)
    {
        var form = new MacroForm { Name = m.Name, Shared = m.Shared };
        form.Actions.Clear();
        form.Actions.AddRange(m.Actions.Select(a => new ActionRow { Type = a.Type, Value = a.Value }));
        return form;
    }
}
