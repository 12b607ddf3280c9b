using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>Expected failures of inbox settings.</summary>
public static class InboxErrors
{
    /// <summary>No such inbox in the caller's workspace (another workspace's inbox is "not found" too).</summary>
    public static readonly KefuError InboxNotFound = new("inbox_not_found", "Inbox not found.");

    /// <summary>The caller lacks the settings permission.</summary>
    public static readonly KefuError Forbidden = new("forbidden", "You may not change inbox settings.");

    /// <summary>The inbox still has conversations that are not resolved; resolve or transfer them first.</summary>
    public static readonly KefuError HasOpenConversations = new("inbox_has_open_conversations",
        "The inbox has conversations that are not resolved; resolve them before deleting it.");

    /// <summary>A channel type this server has no adapter for yet.</summary>
    public static readonly KefuError ChannelNotAvailable = new("channel_not_available", "Only web widget inboxes can be created on this server.");

    /// <summary>A setting that breaks its rule; <paramref name="field"/> is the request property at fault.</summary>
    public static KefuError Invalid(string field, string message) => new("invalid_setting", message) { Field = field };
}
