using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Knowledge.Contracts;

namespace Kefu.IntegrationTests.Bot;

public sealed class WidgetKnowledgeTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Search_FindsThePublishedDemoFaq_AndReadReturnsSanitizedHtml()
    {
        using var http = await VisitorHttpAsync();

        var hits = await http.GetFromJsonAsync<List<ArticleHitDto>>("/api/v1/widget/kb/search?q=" + Uri.EscapeDataString("运费"), KefuFactory.Json);
        var article = await http.GetFromJsonAsync<PublicArticleDto>($"/api/v1/widget/kb/articles/{hits![0].Id}", KefuFactory.Json);
        var feedback = await http.PostAsJsonAsync($"/api/v1/widget/kb/articles/{hits[0].Id}/feedback", new ArticleFeedbackRequest(true));

        Assert.Equal("运费怎么算？", hits[0].Question);
        Assert.Contains("<strong>99 元包邮</strong>", article!.Html);
        Assert.Equal(HttpStatusCode.NoContent, feedback.StatusCode);
    }

    [Fact]
    public async Task ScriptInAnAnswer_NeverReachesTheWidget()
    {
        using var admin = await _server.AgentHttpAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/knowledge/articles", new ArticleInput(
            "Script test?", "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> **ok**", null, "misc", "en", ArticleStatus.Published), KefuFactory.Json);
        var id = (await created.Content.ReadFromJsonAsync<ArticleDto>(KefuFactory.Json))!.Id;
        using var http = await VisitorHttpAsync();

        var article = await http.GetFromJsonAsync<PublicArticleDto>($"/api/v1/widget/kb/articles/{id}", KefuFactory.Json);

        Assert.DoesNotContain("<script", article!.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", article.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", article.Html, StringComparison.OrdinalIgnoreCase); // raw HTML stays text: &lt;img …&gt;
        Assert.Contains("<strong>ok</strong>", article.Html);
    }

    [Fact]
    public async Task AnotherWorkspacesVisitor_NeverFindsOrReadsTheseArticles()
    {
        using var demo = await VisitorHttpAsync();
        var demoArticle = (await demo.GetFromJsonAsync<List<ArticleHitDto>>("/api/v1/widget/kb/search?q=invoice", KefuFactory.Json))![0];
        var (otherKey, _) = await _server.CreateOtherTenantAsync();
        using var other = await VisitorHttpAsync(otherKey);

        var search = await other.GetFromJsonAsync<List<ArticleHitDto>>("/api/v1/widget/kb/search?q=invoice", KefuFactory.Json);
        var read = await other.GetAsync($"/api/v1/widget/kb/articles/{demoArticle.Id}");
        var rate = await other.PostAsJsonAsync($"/api/v1/widget/kb/articles/{demoArticle.Id}/feedback", new ArticleFeedbackRequest(false));

        Assert.Empty(search!);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rate.StatusCode);
    }

    [Fact]
    public async Task DraftArticles_AreNotInTheWidget_AndNoTokenIs401()
    {
        using var admin = await _server.AgentHttpAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/knowledge/articles", new ArticleInput("Secret draft?", "Not yet.", null, "misc", "en"), KefuFactory.Json);
        var id = (await created.Content.ReadFromJsonAsync<ArticleDto>(KefuFactory.Json))!.Id;
        using var http = await VisitorHttpAsync();
        using var anonymous = _server.Http();

        var read = await http.GetAsync($"/api/v1/widget/kb/articles/{id}");
        var noToken = await anonymous.GetAsync("/api/v1/widget/kb/search?q=x");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
    }

    private async Task<HttpClient> VisitorHttpAsync(string? key = null)
    {
        var session = await _server.NewVisitorAsync(key);
        var http = _server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        return http;
    }
}
