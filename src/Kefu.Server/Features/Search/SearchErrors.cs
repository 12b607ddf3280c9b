using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Search;

/// <summary>Why a search was refused; each names the parameter (<see cref="KefuError.Field"/>) so forms show it there.</summary>
internal static class SearchErrors
{
    public const string Code = "invalid_search";

    public static readonly KefuError Empty = new KefuError(Code, "Enter words to search for.") with { Field = "q" };
    public static readonly KefuError TooLong = new KefuError(Code, $"A search may be {SearchQuery.MaxLength} characters.") with { Field = "q" };
    public static readonly KefuError NoWords = new KefuError(Code, "The search has no letters or digits.") with { Field = "q" };
    public static readonly KefuError Kind = new KefuError(Code, "kind must be message, conversation or contact.") with { Field = "kind" };
    public static readonly KefuError Status = new KefuError(Code, "status must be a conversation status (open, pending, snoozed, resolved).") with { Field = "status" };
    public static readonly KefuError Range = new KefuError(Code, "from must be before to.") with { Field = "to" };
    public static readonly KefuError Tag = new KefuError(Code, "tag is not a tag.") with { Field = "tag" };
    public static readonly KefuError Paging = new KefuError(Code, "page must be 1 or more and pageSize 1 to 50.") with { Field = "pageSize" };
    public static readonly KefuError ContactsForbidden = new("forbidden", "Your role may not see contacts.");
}
