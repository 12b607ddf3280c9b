namespace Kefu.Server.Console;

/// <summary>Marker type for the console's strings (ConsoleText.resx, ConsoleText.zh.resx).</summary>
internal sealed class ConsoleText;
