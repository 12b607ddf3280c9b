using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>What a canned reply may hold, and its expected failures (each naming the request field at fault).</summary>
internal static class CannedReplyRules
{
    public const int MaxTitleLength = 100;
    public const int MaxShortcutLength = 32;
    public const int MaxCategoryLength = 50;
    public const int MaxTextLength = 4000; // the composer's limit: a reply must fit in one message

    /// <summary>Files one reply may hold: a reply is a message or a few, not a file share.</summary>
    public const int MaxAttachments = 5;

    public static readonly KefuError NotFound = new("canned_reply_not_found", "No such canned reply.");
    public static readonly KefuError Forbidden = new("forbidden", "Team and shared canned replies need the knowledge permission.");
    public static readonly KefuError TitleInvalid = new("invalid_setting", "title must be 1-100 characters on one line.") { Field = "title" };
    public static readonly KefuError ShortcutInvalid =
        new("invalid_setting", "shortcut must be 1-32 letters, digits, '_' or '-' (a leading '/' is dropped).") { Field = "shortcut" };
    public static readonly KefuError CategoryInvalid = new("invalid_setting", "category must be at most 50 characters on one line.") { Field = "category" };
    public static readonly KefuError TextRequired = new("invalid_setting", "Write textZh or textEn (or both), each at most 4,000 characters.") { Field = "textZh" };
    public static readonly KefuError TextEnInvalid = new("invalid_setting", "textEn may be at most 4,000 characters.") { Field = "textEn" };
    public static readonly KefuError TeamInvalid = new("invalid_setting", "teamId must be a team of this workspace, for a team reply only.") { Field = "teamId" };
    public static readonly KefuError ShortcutTaken = new("canned_shortcut_taken", "Another reply in this scope has this shortcut.") { Field = "shortcut" };
    public static readonly KefuError TooManyAttachments =
        new("canned_attachments_too_many", $"A canned reply holds at most {MaxAttachments} files.") { Field = "attachmentIds" };
    public static readonly KefuError ConversationRequired = new("invalid_request", "conversationId is required.") { Field = "conversationId" };

    /// <summary>A template names a variable outside the allowlist; the message names it and the allowed ones.</summary>
    public static KefuError UnknownVariable(string field, IEnumerable<string> unknown) =>
        new("unknown_variable", $"Unknown variable {string.Join(", ", unknown)} in {field}; allowed: " +
            string.Join(", ", CannedReplyTemplate.Variables.Select(v => "{{" + v + "}}")) + ".") { Field = field };

    /// <summary>The shortcut as stored (trimmed, without a leading <c>/</c>), or null when it breaks the rule.</summary>
    public static string? NormalizeShortcut(string? shortcut)
    {
        var s = (shortcut ?? "").Trim();
        if (s.StartsWith('/'))
        {
            s = s[1..];
        }

        return s.Length is > 0 and <= MaxShortcutLength && s.All(c => char.IsLetterOrDigit(c) || c is '_' or '-') ? s : null;
    }

    /// <summary>The unique key of a shortcut: its lower case (<c>Refund</c> and <c>refund</c> clash).</summary>
    public static string ShortcutKey(string shortcut) => shortcut.ToLowerInvariant();

    public static string ScopeKey(CannedReplyScope scope, Guid? ownerId, Guid? teamId) => scope switch
    {
        CannedReplyScope.Personal => "personal:" + ownerId,
        CannedReplyScope.Team => "team:" + teamId,
        _ => "shared",
    };

    /// <summary>The input cleaned, or the first error. Team membership and shortcut clashes need the database: the caller checks them.</summary>
    public static (CleanInput?, KefuError?) Validate(CannedReplyInput input)
    {
        var title = SafeText.SingleLine(input.Title);
        if (title.Length is 0 or > MaxTitleLength || !SafeText.IsSingleLine(input.Title))
        {
            return (null, TitleInvalid);
        }

        if (NormalizeShortcut(input.Shortcut) is not { } shortcut)
        {
            return (null, ShortcutInvalid);
        }

        var category = SafeText.SingleLine(input.Category);
        if (category.Length > MaxCategoryLength || !SafeText.IsSingleLine(input.Category))
        {
            return (null, CategoryInvalid);
        }

        var zh = NullIfEmpty(SafeText.MultiLine(input.TextZh));
        var en = NullIfEmpty(SafeText.MultiLine(input.TextEn));
        if ((zh is null && en is null) || zh?.Length > MaxTextLength)
        {
            return (null, TextRequired);
        }

        if (en?.Length > MaxTextLength)
        {
            return (null, TextEnInvalid);
        }

        foreach (var (field, text) in new[] { ("textZh", zh), ("textEn", en) })
        {
            if (CannedReplyTemplate.UnknownVariables(text) is { Count: > 0 } unknown)
            {
                return (null, UnknownVariable(field, unknown));
            }
        }

        var scope = input.Scope ?? CannedReplyScope.Personal;
        if (!Enum.IsDefined(scope) || (scope == CannedReplyScope.Team) != (input.TeamId is not null))
        {
            return (null, TeamInvalid);
        }

        List<Guid>? attachments = input.AttachmentIds is null ? null : [.. input.AttachmentIds.Distinct()];
        if (attachments?.Count > MaxAttachments)
        {
            return (null, TooManyAttachments);
        }

        return (new CleanInput(title, shortcut, category, zh, en, scope, input.TeamId, attachments), null);
    }

    public static void Apply(CannedReply reply, CleanInput input, Guid ownerId, DateTime now)
    {
        reply.Title = input.Title;
        reply.Shortcut = input.Shortcut;
        reply.ShortcutKey = ShortcutKey(input.Shortcut);
        reply.Category = input.Category;
        reply.TextZh = input.TextZh;
        reply.TextEn = input.TextEn;
        reply.Scope = input.Scope;
        reply.TeamId = input.TeamId;
        // A personal reply keeps its owner when edited; one made personal by an edit becomes the editor's.
        reply.OwnerId = input.Scope == CannedReplyScope.Personal ? reply.OwnerId ?? ownerId : null;
        reply.ScopeKey = ScopeKey(reply.Scope, reply.OwnerId, reply.TeamId);
        reply.UpdatedAt = now;
    }

    /// <summary>The ids in <see cref="CannedReply.AttachmentIds"/>, in order.</summary>
    public static List<Guid> AttachmentIds(CannedReply reply) =>
        [.. reply.AttachmentIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];

    public static string AttachmentList(IEnumerable<Guid> ids) => string.Join(',', ids);

    private static string? NullIfEmpty(string text) => text.Trim().Length == 0 ? null : text.Trim();
}

/// <summary>A validated input.</summary>
/// <param name="AttachmentIds">Null: keep the reply's files.</param>
internal sealed record CleanInput(string Title, string Shortcut, string Category, string? TextZh, string? TextEn, CannedReplyScope Scope, Guid? TeamId,
    IReadOnlyList<Guid>? AttachmentIds = null);
