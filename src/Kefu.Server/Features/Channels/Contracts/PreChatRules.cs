using System.Net.Mail;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>
/// The rules of the pre-chat form, for the settings (REST and console call the same handler) and for what visitors
/// answer (checked again on the server whatever the widget did). Each refusal names the request field at fault.
/// </summary>
public static partial class PreChatRules
{
    /// <summary>Most departments a visitor can choose from: a longer list belongs in a help centre, not a chat form.</summary>
    public const int MaxDepartments = 10;

    /// <summary>Longest label of a field or a department.</summary>
    public const int MaxLabel = 60;

    /// <summary>Longest name a visitor can give (the contact's name column).</summary>
    public const int MaxName = 100;

    /// <summary>Longest e-mail address (RFC 5321's path limit).</summary>
    public const int MaxEmail = 254;

    /// <summary>Code of a visitor's answer that breaks a rule; <see cref="KefuError.Field"/> names the answer.</summary>
    public const string InvalidAnswerCode = "invalid_prechat";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    /// <summary>The form cleaned (labels trimmed, empty labels null, skills normalised) or the first rule it breaks.</summary>
    public static (PreChatForm? Value, KefuError? Error) Form(PreChatForm? form)
    {
        if (form is null)
        {
            return (null, InboxErrors.Invalid("enabled", "The form is missing."));
        }

        var fields = new PreChatField[4];
        string[] names = ["name", "email", "phone", "department"];
        PreChatField?[] given = [form.Name, form.Email, form.Phone, form.Department];
        for (var i = 0; i < names.Length; i++)
        {
            var (field, error) = Field(given[i], names[i]);
            if (error is not null)
            {
                return (null, error);
            }

            fields[i] = field!;
        }

        var (departments, departmentsError) = Departments(form.Departments, fields[3].Mode);
        return departmentsError is not null
            ? (null, departmentsError)
            : (new PreChatForm(form.Enabled, fields[0], fields[1], fields[2], fields[3], departments), null);
    }

    /// <summary>A department field that is asked needs at least one department; each needs a name and valid skills.</summary>
    private static (IReadOnlyList<PreChatDepartment>? Value, KefuError? Error) Departments(IReadOnlyList<PreChatDepartment>? given, PreChatFieldMode mode)
    {
        var list = given ?? [];
        if (list.Count > MaxDepartments)
        {
            return (null, InboxErrors.Invalid("departments", $"At most {MaxDepartments} departments."));
        }

        if (mode != PreChatFieldMode.Off && list.Count == 0)
        {
            return (null, InboxErrors.Invalid("departments", "Add at least one department, or turn the department choice off."));
        }

        var result = new List<PreChatDepartment>();
        foreach (var d in list)
        {
            var label = Label(d?.Label);
            var labelZh = Label(d?.LabelZh);
            if (label is null && labelZh is null || label?.Length > MaxLabel || labelZh?.Length > MaxLabel)
            {
                return (null, InboxErrors.Invalid("departments", $"Each department needs a name of 1 to {MaxLabel} characters."));
            }

            if (SkillSet.TryParse(d!.Skills, out var skillError) is not { } skills)
            {
                return (null, InboxErrors.Invalid("departmentSkills", skillError!));
            }

            result.Add(new PreChatDepartment(label ?? labelZh, labelZh, skills.Levels.Count == 0 ? null : skills.ToString()));
        }

        return (result, null);
    }

    private static (PreChatField? Value, KefuError? Error) Field(PreChatField? field, string name)
    {
        field ??= new PreChatField();
        if (!Enum.IsDefined(field.Mode))
        {
            return (null, InboxErrors.Invalid(name, "Off, optional or required."));
        }

        var label = Label(field.Label);
        var labelZh = Label(field.LabelZh);
        return label?.Length > MaxLabel || labelZh?.Length > MaxLabel
            ? (null, InboxErrors.Invalid(name, $"A label has at most {MaxLabel} characters."))
            : (new PreChatField(field.Mode, label, labelZh), null);
    }

    private static string? Label(string? text) => SafeText.SingleLine(text) is { Length: > 0 } clean ? clean : null;

    /// <summary>A visitor's answers checked against the form; the cleaned answers, or the first answer at fault.</summary>
    public static (PreChatAnswers? Value, KefuError? Error) Answers(PreChatForm form, PreChatAnswers? answers)
    {
        answers ??= new PreChatAnswers();
        var name = Answer(form.Name!.Mode, SafeText.SingleLine(answers.Name));
        var email = Answer(form.Email!.Mode, answers.Email?.Trim() ?? "");
        var phone = Answer(form.Phone!.Mode, answers.Phone?.Trim() ?? "");
        var department = form.Department!.Mode == PreChatFieldMode.Off ? null : answers.Department;

        if (name is null || name.Length > MaxName)
        {
            return (null, AnswerError("name"));
        }

        if (email is null || email.Length > 0 && !IsEmail(email))
        {
            return (null, AnswerError("email"));
        }

        if (phone is null || phone.Length > 0 && !PhonePattern().IsMatch(phone))
        {
            return (null, AnswerError("phone"));
        }

        if (form.Department.Mode == PreChatFieldMode.Required && department is null ||
            department is { } index && (index < 0 || index >= form.Departments!.Count))
        {
            return (null, AnswerError("department"));
        }

        return (new PreChatAnswers(Empty(name), Empty(email.ToLowerInvariant()), Empty(phone), department), null);
    }

    /// <summary>The empty string for an unanswered optional field, null for a required one left empty.</summary>
    private static string? Answer(PreChatFieldMode mode, string value) =>
        mode == PreChatFieldMode.Off ? "" : mode == PreChatFieldMode.Required && value.Length == 0 ? null : value;

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    /// <summary>
    /// One address, no display name, a dot in the domain: <see cref="MailAddress"/> alone accepts <c>"A" &lt;a@b&gt;</c> and
    /// <c>a@b</c>, neither of which an agent can write to.
    /// </summary>
    public static bool IsEmail(string text) =>
        text.Length <= MaxEmail && MailAddress.TryCreate(text, out var address) && address.Address == text &&
        address.Host.Contains('.', StringComparison.Ordinal) && !address.Host.EndsWith('.') && !text.Any(char.IsWhiteSpace);

    private static KefuError AnswerError(string field) => new(InvalidAnswerCode, $"The answer '{field}' is missing or not valid.") { Field = field };

    /// <summary>The stored form of an inbox (a JSON column); null or unreadable is <see cref="PreChatForm.None"/>.</summary>
    public static PreChatForm Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return PreChatForm.None;
        }

        try
        {
            return Form(JsonSerializer.Deserialize<PreChatForm>(json, Json)).Value ?? PreChatForm.None;
        }
        catch (JsonException)
        {
            return PreChatForm.None; // written only by this code; a bad row must not break the widget
        }
    }

    /// <summary>The JSON column's text of a validated form.</summary>
    public static string Write(PreChatForm form) => JsonSerializer.Serialize(form, Json);

    /// <summary>A phone number as people type it: an optional +, digits with spaces, dashes, dots or brackets; 5 to 20 digits.</summary>
    [GeneratedRegex(@"^\+?(?:[\s\-.()]*\d){5,20}[\s\-.()]*$")]
    private static partial Regex PhonePattern();
}
