namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>An inbox as admins see it (<c>GET /api/v1/inboxes/{id}</c>).</summary>
/// <param name="Id">Inbox id.</param>
/// <param name="Name">Its name, shown to agents and in the widget's header.</param>
/// <param name="Channel">The channel (only <c>webWidget</c> can be created today).</param>
/// <param name="WidgetKey">The public key in the website's script tag.</param>
/// <param name="AllowedOrigins">Sites allowed to embed the widget, normalised.</param>
/// <param name="EmbedSnippet">The script tag to paste into the website.</param>
/// <param name="Appearance">How the widget looks.</param>
/// <param name="Bot">The bot of this inbox.</param>
/// <param name="CreatedAt">Creation time, UTC.</param>
/// <param name="PreChat">The pre-chat form the widget shows before a visitor's first message.</param>
/// <param name="Offline">The offline form the widget shows when nobody can answer.</param>
/// <param name="AvatarUrl">
/// The widget's avatar (<c>PUT /api/v1/inboxes/{id}/avatar</c>), a public address that changes with the picture; null
/// when there is none.
/// </param>
public sealed record InboxDto(
    Guid Id, string Name, ChannelType Channel, string? WidgetKey, IReadOnlyList<string> AllowedOrigins, string? EmbedSnippet,
    InboxAppearance Appearance, InboxBotSettings Bot, DateTime CreatedAt, PreChatForm PreChat, OfflineForm Offline, string? AvatarUrl = null)
{
    /// <summary>The public path of the avatar's file, relative to Kefu's origin.</summary>
    internal const string AvatarRoute = "/media/avatars";

    internal static InboxDto From(Inbox inbox, string baseUrl) => new(
        inbox.Id, inbox.Name, inbox.Channel, inbox.WidgetKey, [.. inbox.AllowedOriginList()],
        inbox.WidgetKey is { } key ? InboxRules.EmbedSnippet(baseUrl, key) : null,
        new InboxAppearance(inbox.WidgetColor, inbox.WidgetPosition, inbox.LauncherText, inbox.Greeting),
        new InboxBotSettings(inbox.BotEnabled, inbox.BotName, inbox.BotGreeting),
        inbox.CreatedAt, PreChatRules.Read(inbox.PreChatForm), OfflineRules.Read(inbox.OfflineForm),
        inbox.AvatarFile is { } avatar ? $"{baseUrl.TrimEnd('/')}{AvatarRoute}/{avatar}" : null);
}

/// <summary>Creates an inbox (<c>POST /api/v1/inboxes</c>).</summary>
/// <param name="Name">1–100 characters.</param>
/// <param name="Channel">Only <c>webWidget</c> today; other channels answer <c>channel_not_available</c>.</param>
/// <param name="AllowedOrigins">Sites allowed to embed the widget: <c>https://shop.example.com</c>; may be empty.</param>
public sealed record CreateInboxRequest(string? Name, ChannelType Channel = ChannelType.WebWidget, IReadOnlyList<string>? AllowedOrigins = null);

/// <summary>Renames an inbox and replaces its allowed origins (<c>PUT /api/v1/inboxes/{id}</c>).</summary>
/// <param name="Name">1–100 characters.</param>
/// <param name="AllowedOrigins">The whole list; each a <c>scheme://host[:port]</c>. Null keeps the current list.</param>
public sealed record UpdateInboxRequest(string? Name, IReadOnlyList<string>? AllowedOrigins = null);

/// <summary>How the widget looks (<c>PUT /api/v1/inboxes/{id}/appearance</c>; every field replaces the current one).</summary>
/// <param name="Color">Accent colour <c>#rrggbb</c>.</param>
/// <param name="Position"><c>right</c> or <c>left</c>.</param>
/// <param name="LauncherText">Text beside the launcher's icon (24 characters at most); null or empty for the icon alone.</param>
/// <param name="Greeting">Shown at the top of a new conversation (500 characters at most); null for the built-in greeting.</param>
public sealed record InboxAppearance(string? Color, WidgetPosition Position = WidgetPosition.Right, string? LauncherText = null, string? Greeting = null);

/// <summary>The inbox's bot (<c>PUT /api/v1/inboxes/{id}/bot</c>; every field replaces the current one).</summary>
/// <param name="Enabled">True: new conversations start with the bot.</param>
/// <param name="Name">The bot's name in every language (40 characters at most); null for the default name of each language.</param>
/// <param name="Greeting">The bot's answer to a visitor's greeting (500 characters at most); null for the built-in one.</param>
public sealed record InboxBotSettings(bool Enabled, string? Name = null, string? Greeting = null);
