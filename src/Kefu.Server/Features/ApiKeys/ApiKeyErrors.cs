using Kefu.Server.Hosting;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>Typed failures of API key management and use.</summary>
internal static class ApiKeyErrors
{
    public static readonly KefuError Forbidden = new("forbidden", "Managing API keys needs the settings permission.");
    public static readonly KefuError PeopleOnly = new("forbidden", "API keys are managed by people signed in, not by other API keys.");
    public static readonly KefuError NotFound = new("api_key_not_found", "No such API key.");
    public static readonly KefuError NameInvalid = new KefuError("invalid_request", "name must be 1-100 characters, without control characters.") with { Field = "name" };
    public static readonly KefuError AccessInvalid = new KefuError("invalid_request", "access must be read, write or admin.") with { Field = "access" };
    public static readonly KefuError PermissionsEmpty = new KefuError("invalid_request", "Choose at least one permission.") with { Field = "permissions" };
    public static readonly KefuError BeyondOwn = new KefuError("forbidden", "A key can only hold permissions you hold yourself.") with { Field = "permissions" };
    public static readonly KefuError AdminOnly = new KefuError("invalid_request", "Settings, people, privacy and unmasking need admin access.") with { Field = "permissions" };
    public static readonly KefuError InsufficientScope = new("insufficient_scope", "This API key's access does not allow this request.");
    public static readonly KefuError NotForKeys = new("insufficient_scope", "This route belongs to a person's own account; API keys cannot use it.");

    public static KefuError UnknownPermission(string name) =>
        new KefuError("invalid_request", $"Unknown permission '{name}'.") with { Field = "permissions" };
}
