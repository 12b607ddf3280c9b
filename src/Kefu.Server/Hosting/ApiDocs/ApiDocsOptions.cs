namespace Kefu.Server.Hosting.ApiDocs;

/// <summary>Who may read the API description, section <c>Kefu:ApiDocs</c> (docs/api.md).</summary>
public sealed class ApiDocsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:ApiDocs";

    /// <summary>
    /// Serve <c>/openapi/v1.json</c> and the reference at <c>/api-docs</c> to anyone. Off (the default): only to a
    /// signed-in person or token whose role has the Settings permission. The document names routes and shapes, never
    /// data, but a public one tells a stranger what this server exposes, so it is opt-in.
    /// </summary>
    public bool Public { get; set; }
}
