namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>Whether the pre-chat form asks for a field, and whether the visitor must answer it.</summary>
public enum PreChatFieldMode
{
    /// <summary>Not asked.</summary>
    Off,

    /// <summary>Asked; the visitor may leave it empty.</summary>
    Optional,

    /// <summary>Asked; the form cannot be sent without it.</summary>
    Required,
}

/// <summary>One field of the pre-chat form.</summary>
/// <param name="Mode">Off, optional or required.</param>
/// <param name="Label">The label in English; null or empty: the built-in label.</param>
/// <param name="LabelZh">The label in Chinese; null or empty: <paramref name="Label"/> when set, else the built-in label.</param>
public sealed record PreChatField(PreChatFieldMode Mode = PreChatFieldMode.Off, string? Label = null, string? LabelZh = null);

/// <summary>A department the visitor can choose, and the skills its conversations need.</summary>
/// <param name="Label">The department's name in English (required unless <paramref name="LabelZh"/> is set).</param>
/// <param name="LabelZh">The department's name in Chinese; null: <paramref name="Label"/>.</param>
/// <param name="Skills">The skills the conversation then requires, as routing writes them: <c>billing:2 en</c>; may be empty.</param>
public sealed record PreChatDepartment(string? Label, string? LabelZh = null, string? Skills = null);

/// <summary>
/// The inbox's pre-chat form (<c>PUT /api/v1/inboxes/{id}/prechat</c>; every field replaces the current one): what the
/// widget asks before a visitor's first message.
/// </summary>
/// <param name="Enabled">True: the widget shows the form before the first message.</param>
/// <param name="Name">The visitor's name.</param>
/// <param name="Email">The visitor's e-mail address.</param>
/// <param name="Phone">The visitor's phone number.</param>
/// <param name="Department">The department choice; its options are <paramref name="Departments"/>.</param>
/// <param name="Departments">The departments to choose from, in order (at most <see cref="PreChatRules.MaxDepartments"/>).</param>
public sealed record PreChatForm(
    bool Enabled = false, PreChatField? Name = null, PreChatField? Email = null, PreChatField? Phone = null,
    PreChatField? Department = null, IReadOnlyList<PreChatDepartment>? Departments = null)
{
    /// <summary>The form of an inbox that has none: off, every field off.</summary>
    public static readonly PreChatForm None = new(false, new(), new(), new(), new(), []);
}

/// <summary>What a visitor answers in the pre-chat form (<c>POST /api/v1/widget/prechat</c>).</summary>
/// <param name="Name">Their name, when asked.</param>
/// <param name="Email">Their e-mail address, when asked.</param>
/// <param name="Phone">Their phone number, when asked.</param>
/// <param name="Department">The index of the chosen department in the form's list, when asked.</param>
public sealed record PreChatAnswers(string? Name = null, string? Email = null, string? Phone = null, int? Department = null);
