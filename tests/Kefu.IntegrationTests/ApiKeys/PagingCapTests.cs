using System.Net;
using Kefu.IntegrationTests.Infrastructure;

namespace Kefu.IntegrationTests.ApiKeys;

/// <summary>Every paged list refuses a page beyond its cap with 400 and a problem or validation body, never a huge answer.</summary>
public sealed class PagingCapTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Theory]
    [InlineData("/api/v1/api-keys?pageSize=1000000")]
    [InlineData("/api/v1/conversations?limit=1000000")]
    [InlineData("/api/v1/contacts?limit=1000000")]
    [InlineData("/api/v1/notifications?limit=1000000")]
    [InlineData("/api/v1/search?q=hello&pageSize=1000000")]
    public async Task AHugePage_IsRefusedWith400(string url)
    {
        using var admin = await _server.AgentHttpAsync();

        var response = await admin.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("problem+json", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
    }
}
