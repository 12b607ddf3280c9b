namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>The bottom corner of the page where the widget's launcher and panel sit. Stored and sent as its name.</summary>
public enum WidgetPosition
{
    /// <summary>Bottom right (the default).</summary>
    Right,

    /// <summary>Bottom left, for sites whose bottom right is taken (a cookie banner, a back-to-top button).</summary>
    Left,
}
