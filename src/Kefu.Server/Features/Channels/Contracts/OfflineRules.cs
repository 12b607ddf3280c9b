using System.Text.Json;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>
/// The rules of the offline form: its settings (REST and console call the same handler) and what a visitor leaves in it
/// (checked on the server whatever the widget did). Each refusal names the request field at fault.
/// </summary>
public static class OfflineRules
{
    /// <summary>Longest intro text above the form.</summary>
    public const int MaxIntro = 500;

    /// <summary>Code of a visitor's submission that breaks a rule; <see cref="KefuError.Field"/> names the part at fault.</summary>
    public const string InvalidSubmissionCode = "invalid_offline";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The form cleaned (intro trimmed, empty intro null) or the first rule it breaks.</summary>
    public static (OfflineForm? Value, KefuError? Error) Form(OfflineForm? form)
    {
        if (form is null)
        {
            return (null, InboxErrors.Invalid("enabled", "The form is missing."));
        }

        var intro = SafeText.MultiLine(form.Intro);
        return intro.Length > MaxIntro
            ? (null, InboxErrors.Invalid("intro", $"The intro has at most {MaxIntro} characters."))
            : (form with { Intro = intro.Length == 0 ? null : intro }, null);
    }

    /// <summary>A visitor's submission cleaned (name on one line, e-mail in lower case), or the first part at fault.</summary>
    public static (OfflineSubmission? Value, KefuError? Error) Submission(OfflineSubmission? submission)
    {
        submission ??= new OfflineSubmission(null, null, null, null);
        var name = SafeText.SingleLine(submission.Name);
        var email = submission.Email?.Trim() ?? "";
        var message = SafeText.MultiLine(submission.Message);
        if (!IsClientMessageId(submission.ClientMessageId))
        {
            return (null, Error("clientMessageId"));
        }

        if (name.Length > PreChatRules.MaxName)
        {
            return (null, Error("name"));
        }

        if (!PreChatRules.IsEmail(email))
        {
            return (null, Error("email"));
        }

        return message.Length is 0 or > MessageRules.MaxTextLength
            ? (null, Error("message"))
            : (new OfflineSubmission(submission.ClientMessageId, name.Length == 0 ? null : name, email.ToLowerInvariant(), message), null);
    }

    /// <summary>The same shape the message path accepts, checked here so a refused id stores nothing at all.</summary>
    private static bool IsClientMessageId(string? id) =>
        id is { Length: > 0 and <= MessageRules.MaxClientMessageIdLength } && !id.StartsWith("bot:", StringComparison.Ordinal) &&
        !id.StartsWith("act:", StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    private static KefuError Error(string field) => new(InvalidSubmissionCode, $"The part '{field}' is missing or not valid.") { Field = field };

    /// <summary>The stored form of an inbox (a JSON column); null or unreadable is <see cref="OfflineForm.Default"/>.</summary>
    public static OfflineForm Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return OfflineForm.Default;
        }

        try
        {
            return Form(JsonSerializer.Deserialize<OfflineForm>(json, Json)).Value ?? OfflineForm.Default;
        }
        catch (JsonException)
        {
            return OfflineForm.Default; // written only by this code; a bad row must not break the widget
        }
    }

    /// <summary>The JSON column's text of a validated form.</summary>
    public static string Write(OfflineForm form) => JsonSerializer.Serialize(form, Json);
}
