using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>
/// A place conversations arrive: a website widget, a mailbox, a WeChat account, an API. Every inbox feeds the
/// same conversations; what differs by channel is how messages come in and how replies leave
/// (<see cref="Contracts.IChannelSender"/>).
/// </summary>
internal sealed class Inbox
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary>The channel this inbox is.</summary>
    public ChannelType Channel { get; set; } = ChannelType.WebWidget;

    /// <summary>
    /// Settings of channels other than the web widget, as a JSON object the channel defines (mailbox addresses,
    /// WeChat app id …). Secrets in it are the channel's to protect.
    /// </summary>
    public string? ChannelSettings { get; set; }

    /// <summary>Web widget: the public key written in the website's script tag. Not a secret: it names the inbox. Null for other channels.</summary>
    public string? WidgetKey { get; set; }

    /// <summary>
    /// Web widget: space-separated origins (<c>https://shop.example</c>) allowed to embed the widget and to open
    /// visitor connections. Kefu's own origin is always allowed.
    /// </summary>
    public string AllowedOrigins { get; set; } = "";

    /// <summary>Greeting shown at the top of a new conversation.</summary>
    public string? Greeting { get; set; }

    /// <summary>New conversations start with the bot, which answers from the knowledge base and hands off to a person.</summary>
    public bool BotEnabled { get; set; }

    /// <summary>
    /// The bot's name in this inbox, the same in every language (a bot is one persona). Null: the default name of the
    /// conversation's language (<see cref="InboxRules.DefaultBotName"/>).
    /// </summary>
    public string? BotName { get; set; }

    /// <summary>What the bot says when a visitor greets it; null: the built-in greeting of the conversation's language.</summary>
    public string? BotGreeting { get; set; }

    /// <summary>Web widget: the accent colour (<c>#rrggbb</c>) of the launcher, header and the visitor's bubbles.</summary>
    public string WidgetColor { get; set; } = InboxRules.DefaultColor;

    /// <summary>Web widget: the corner the launcher sits in.</summary>
    public WidgetPosition WidgetPosition { get; set; } = WidgetPosition.Right;

    /// <summary>Web widget: a short text beside the launcher's icon; null shows the icon alone.</summary>
    public string? LauncherText { get; set; }

    /// <summary>
    /// Web widget: the avatar's file name, <c>{sha256}.{ext}</c> of its bytes (served at <c>/media/avatars/{file}</c>);
    /// null shows the inbox's initial.
    /// </summary>
    public string? AvatarFile { get; set; }

    /// <summary>Web widget: the pre-chat form as JSON (<see cref="PreChatRules.Write"/>); null: no form.</summary>
    public string? PreChatForm { get; set; }

    /// <summary>Web widget: the offline form as JSON (<see cref="OfflineRules.Write"/>); null: the default form (on).</summary>
    public string? OfflineForm { get; set; }

    /// <summary>
    /// When the inbox was deleted. A deleted inbox keeps its row so its conversations keep their history (and their
    /// retention); it has no widget key, no origins and no bot, is left out of the inbox list and answers 404.
    /// </summary>
    public DateTime? ArchivedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public IEnumerable<string> AllowedOriginList() =>
        AllowedOrigins.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class InboxConfiguration : IEntityTypeConfiguration<Inbox>
{
    public void Configure(EntityTypeBuilder<Inbox> builder)
    {
        builder.Property(i => i.Name).HasMaxLength(200);
        builder.Property(i => i.Channel).HasConversion<string>().HasMaxLength(30);
        builder.Property(i => i.ChannelSettings).HasMaxLength(8000);
        builder.Property(i => i.WidgetKey).HasMaxLength(64);
        builder.Property(i => i.AllowedOrigins).HasMaxLength(4000);
        builder.Property(i => i.Greeting).HasMaxLength(1000);
        builder.Property(i => i.BotName).HasMaxLength(InboxRules.MaxBotName);
        builder.Property(i => i.BotGreeting).HasMaxLength(InboxRules.MaxGreeting);
        // Defaults in the schema give inboxes created before these columns the product's look. The sentinels are values
        // no inbox holds, so EF always writes the entity's own value rather than deferring to the column default.
        builder.Property(i => i.WidgetColor).HasMaxLength(7).HasDefaultValue(InboxRules.DefaultColor).HasSentinel("");
        builder.Property(i => i.WidgetPosition).HasConversion<string>().HasMaxLength(10)
            .HasDefaultValue(WidgetPosition.Right).HasSentinel((WidgetPosition)(-1));
        builder.Property(i => i.LauncherText).HasMaxLength(InboxRules.MaxLauncherText);
        builder.Property(i => i.PreChatForm).HasMaxLength(8000);
        builder.Property(i => i.OfflineForm).HasMaxLength(2000);
        builder.Property(i => i.AvatarFile).HasMaxLength(80);
        builder.HasIndex(i => i.AvatarFile); // "does any inbox still show this file?" on every replace and every fetch
        builder.HasIndex(i => i.WidgetKey).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
