namespace Kefu.Server.Features.ApiKeys;

/// <summary>A new API key.</summary>
/// <param name="Name">What it is for (1–100 characters), e.g. "Shop sync".</param>
/// <param name="Access"><c>read</c> (GET only), <c>write</c> or <c>admin</c>.</param>
/// <param name="Permissions">
/// The features it may use: permission names in camelCase (<c>conversationsAll</c>, <c>contacts</c>…), at most the
/// caller's own; <c>settings</c>, <c>people</c>, <c>privacy</c> and <c>unmaskPersonalData</c> need admin access.
/// </param>
public sealed record CreateApiKeyRequest(string? Name, string? Access, IReadOnlyList<string>? Permissions);

/// <summary>An API key as lists show it: never the key itself.</summary>
/// <param name="Id">Key id.</param>
/// <param name="Name">What it is for.</param>
/// <param name="Prefix">Its first characters, to recognise it (<c>kefu_AbC12xYz</c>).</param>
/// <param name="Access">Its access level.</param>
/// <param name="Permissions">The features it may use (camelCase permission names).</param>
/// <param name="CreatedBy">Who created it; the key never does more than they may.</param>
/// <param name="CreatedAt">When (UTC).</param>
/// <param name="LastUsedAt">When it last authenticated a request (UTC, to the minute); null if never.</param>
/// <param name="RevokedAt">When it was revoked (UTC); null while it works.</param>
public sealed record ApiKeyDto(
    Guid Id, string Name, string Prefix, ApiKeyAccess Access, IReadOnlyList<string> Permissions, Guid CreatedBy, DateTime CreatedAt,
    DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A key just created: the only answer that ever holds the key.</summary>
/// <param name="ApiKey">The key's details.</param>
/// <param name="Key">The secret to send as <c>Authorization: Bearer …</c>. Shown once; Kefu keeps only its hash.</param>
public sealed record CreatedApiKeyDto(ApiKeyDto ApiKey, string Key);

/// <summary>One page of keys, newest first.</summary>
/// <param name="Items">The keys.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last.</param>
public sealed record ApiKeyPage(IReadOnlyList<ApiKeyDto> Items, string? NextCursor);
