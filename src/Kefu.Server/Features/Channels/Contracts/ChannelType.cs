namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>The kind of door a conversation comes through. The stored name is the enum name.</summary>
public enum ChannelType
{
    /// <summary>The chat widget on a website (<c>/widget.js</c>).</summary>
    WebWidget,

    /// <summary>A mailbox: messages arrive by IMAP or SMTP, replies leave by SMTP.</summary>
    Email,

    /// <summary>A WeChat Official Account (公众号).</summary>
    WeChatOfficialAccount,

    /// <summary>WeCom customer service (微信客服).</summary>
    WeCom,

    /// <summary>A WeChat Mini Program's customer-service messages.</summary>
    MiniProgram,

    /// <summary>An integrator's own front end, through the REST API and webhooks.</summary>
    Api,
}
