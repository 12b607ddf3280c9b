namespace Kefu.Server.Features.Ai;

/// <summary>The endpoint's answer was larger than <see cref="AiRules.MaxResponseBytes"/>.</summary>
internal sealed class AiResponseTooLargeException() : HttpRequestException("The LLM endpoint's response is too large.");

/// <summary>
/// Reads the endpoint's whole answer into memory before the client library sees it, but never more than
/// <see cref="AiRules.MaxResponseBytes"/>: a misbehaving server that streams 10 MB is cut off at the limit instead of
/// filling memory, and the read is bounded by the caller's timeout like the rest of the call.
/// </summary>
internal sealed class AiResponseLimit : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentLength > AiRules.MaxResponseBytes)
        {
            response.Dispose();
            throw new AiResponseTooLargeException();
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(AiRules.MaxResponseBytes, cancellationToken);
        }
        catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested)
        {
            response.Dispose();
            throw new AiResponseTooLargeException();
        }

        return response;
    }
}
