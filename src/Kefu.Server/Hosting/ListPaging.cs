using System.Buffers.Text;
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Hosting;

/// <summary>
/// Paging for every list of the API group (ADR 0031), for the endpoints that do not page themselves:
/// <list type="bullet">
/// <item>a handler that binds <c>pageSize</c> pages in its own query (keyset cursor, its own cap) and is left alone;</item>
/// <item>anywhere else a <c>pageSize</c> outside 1..<see cref="Paging.MaxPageSize"/> (or not a number) is
/// <c>400 invalid_page_size</c> before the handler runs, so <c>pageSize=1000000</c> is refused on every route;</item>
/// <item>a handler with an older <c>limit</c> parameter gets <c>pageSize</c> as its <c>limit</c>;</item>
/// <item>a list answered as a JSON array (teams, roles, inboxes, notes, articles …: sets bounded by a workspace's
/// configuration or one conversation) is paged by an opaque cursor when <c>pageSize</c> or <c>cursor</c> is sent: the body
/// stays an array, the next page's cursor is in <see cref="NextCursorHeader"/> and a <c>Link: rel="next"</c>. Without
/// either parameter it answers the whole list, as before.</item>
/// </list>
/// </summary>
internal static class ListPaging
{
    /// <summary>The answer header naming the next page's cursor of an array list; absent on the last page.</summary>
    public const string NextCursorHeader = "Kefu-Next-Cursor";

    private static readonly KefuError InvalidPageSize = Paging.Check(0)!;

    /// <summary>Adds the paging filter to every endpoint of <paramref name="group"/>.</summary>
    public static RouteGroupBuilder WithListPaging(this RouteGroupBuilder group)
    {
        group.AddEndpointFilterFactory((context, next) =>
        {
            var parameters = context.MethodInfo.GetParameters();
            if (parameters.Any(p => Named(p, "pageSize")))
            {
                return next; // pages itself
            }

            var limit = Array.FindIndex(parameters, p => Named(p, "limit") && (p.ParameterType == typeof(int) || p.ParameterType == typeof(int?)));
            // The offset cursor is this filter's only for array lists that have no cursor of their own.
            var arrayList = AnswersArray(context.MethodInfo.ReturnType) && !parameters.Any(p => Named(p, "cursor"));
            return invocation => HttpMethods.IsGet(invocation.HttpContext.Request.Method) ? InvokeAsync(invocation, next, limit, arrayList) : next(invocation);
        });
        return group;
    }

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, int limitIndex, bool arrayList)
    {
        var query = invocation.HttpContext.Request.Query;
        var hasSize = query.TryGetValue("pageSize", out var sizeText);
        var cursorText = arrayList ? query["cursor"].ToString() : null;
        if (!hasSize && string.IsNullOrEmpty(cursorText))
        {
            return await next(invocation);
        }

        var pageSize = Paging.DefaultPageSize;
        if (hasSize && (!int.TryParse(sizeText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || Paging.Check(pageSize) is not null))
        {
            return KefuProblems.Problem(InvalidPageSize);
        }

        if (limitIndex >= 0 || !arrayList)
        {
            // An older list with its own limit (and its own cap, at least 100): pageSize is the same thing by the new name.
            if (limitIndex >= 0 && hasSize && !query.ContainsKey("limit"))
            {
                invocation.Arguments[limitIndex] = pageSize;
            }

            return await next(invocation);
        }

        var offset = 0;
        if (!string.IsNullOrEmpty(cursorText) && !TryReadOffset(cursorText, out offset))
        {
            return KefuProblems.Problem(Paging.InvalidCursor);
        }

        var result = await next(invocation);
        return Slice(invocation.HttpContext, result, offset, pageSize) ?? result;
    }

    /// <summary>The page of an array answer, or null when the answer is not an array list (an error, one object, a page object).</summary>
    private static IResult? Slice(HttpContext http, object? result, int offset, int pageSize)
    {
        var inner = result;
        while (inner is INestedHttpResult nested)
        {
            inner = nested.Result;
        }

        if (inner is not (IValueHttpResult { Value: IEnumerable items and not string } and IStatusCodeHttpResult { StatusCode: 200 }))
        {
            return null;
        }

        var all = items.Cast<object?>().ToList();
        var page = all.Skip(offset).Take(pageSize).ToArray();
        if (offset + page.Length < all.Count)
        {
            var cursor = Base64Url.EncodeToString(Encoding.ASCII.GetBytes("o:" + (offset + page.Length).ToString(CultureInfo.InvariantCulture)));
            http.Response.Headers[NextCursorHeader] = cursor;
            var request = http.Request;
            var link = $"{request.PathBase}{request.Path}?{string.Join('&', request.Query.Where(q => q.Key is not ("cursor" or "pageSize")).Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}").Append($"pageSize={pageSize}").Append($"cursor={cursor}"))}";
            http.Response.Headers.Link = $"<{link}>; rel=\"next\"";
        }

        return TypedResults.Ok<object?[]>(page);
    }

    private static bool TryReadOffset(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal) &&
                   int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>True when a handler's declared answer can be <c>Ok</c> of a collection (an array in JSON).</summary>
    private static bool AnswersArray(Type type) =>
        type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Ok<>)
            ? type.GetGenericArguments()[0] is var value && value != typeof(string) && typeof(IEnumerable).IsAssignableFrom(value)
            : type.GetGenericArguments().Any(AnswersArray));

    private static bool Named(ParameterInfo parameter, string name) => string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase);
}
