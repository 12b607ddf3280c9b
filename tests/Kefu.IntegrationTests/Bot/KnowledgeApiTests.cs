using System.Net;
using System.Net.Http.Json;
using System.Text;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Knowledge.Contracts;
using Microsoft.AspNetCore.Http;

namespace Kefu.IntegrationTests.Bot;

public sealed class KnowledgeApiTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Admin_CreatesEditsSearchesAndDeletesAnArticle()
    {
        using var http = await _server.AgentHttpAsync();
        var input = new ArticleInput("Do you ship to Macau?", "Yes, **3–5 days**.", ["macau delivery", " ", "macau delivery"], "shipping", "en", ArticleStatus.Published);

        var created = await http.PostAsJsonAsync("/api/v1/knowledge/articles", input, KefuFactory.Json);
        var article = (await created.Content.ReadFromJsonAsync<ArticleDto>(KefuFactory.Json))!;
        var updated = await http.PutAsJsonAsync($"/api/v1/knowledge/articles/{article.Id}", input with { Answer = "Yes, in 3 days." }, KefuFactory.Json);
        var found = await http.GetFromJsonAsync<List<ArticleDto>>("/api/v1/knowledge/articles?q=macau&language=en", KefuFactory.Json);
        var deleted = await http.DeleteAsync($"/api/v1/knowledge/articles/{article.Id}");
        var gone = await http.GetAsync($"/api/v1/knowledge/articles/{article.Id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["macau delivery"], article.Phrasings);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Yes, in 3 days.", Assert.Single(found!).Answer);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task InvalidArticle_IsAValidationProblem()
    {
        using var http = await _server.AgentHttpAsync();

        var response = await http.PostAsJsonAsync("/api/v1/knowledge/articles", new ArticleInput("", "x", null, null, "fr"), KefuFactory.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Contains("question", problem!.Errors.Keys);
        Assert.Contains("language", problem.Errors.Keys);
    }

    [Fact]
    public async Task ImportWithOneBadRow_StoresNothing_AndNamesTheRow()
    {
        using var http = await _server.AgentHttpAsync();
        var before = (await http.GetFromJsonAsync<List<ArticleDto>>("/api/v1/knowledge/articles", KefuFactory.Json))!.Count;
        const string csv = "question,answer,phrasings,category,language,status\r\n" +
                           "Good one?,Fine.,\"a\nb\",misc,en,published\r\n" +
                           "Bad language?,Fine.,,misc,klingon,published\r\n" +
                           "\"Quoted, with comma?\",\"Line one\nline two\",,misc,zh-CN,draft\r\n";

        var response = await http.PostAsync("/api/v1/knowledge/import?format=csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Equal(["row 2"], problem!.Errors.Keys);
        Assert.Equal(before, (await http.GetFromJsonAsync<List<ArticleDto>>("/api/v1/knowledge/articles", KefuFactory.Json))!.Count);
    }

    [Fact]
    public async Task ImportWithTheSameIdTwice_StoresNothing_AndNamesTheRepeat()
    {
        using var http = await _server.AgentHttpAsync();
        var id = Guid.CreateVersion7();
        var csv = "id,question,answer,language\r\n" +
                  $"{id},First?,One.,en\r\n" +
                  $"{id},Second?,Two.,en\r\n";

        var response = await http.PostAsync("/api/v1/knowledge/import?format=csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Equal(["row 2"], problem!.Errors.Keys);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task Export_ThenImport_RoundTripsEveryArticle(string format)
    {
        using var http = await _server.AgentHttpAsync();
        await http.PostAsJsonAsync("/api/v1/knowledge/articles",
            new ArticleInput("Quotes \"and\", commas?", "Line 1\nLine 2, with **bold**", ["p|1", "p2"], "misc", "zh-CN", ArticleStatus.Draft), KefuFactory.Json);
        var before = (await http.GetFromJsonAsync<List<ArticleDto>>("/api/v1/knowledge/articles", KefuFactory.Json))!;

        var exported = await http.GetStringAsync($"/api/v1/knowledge/export?format={format}");
        var imported = await http.PostAsync($"/api/v1/knowledge/import?format={format}", new StringContent(exported, Encoding.UTF8));
        var after = (await http.GetFromJsonAsync<List<ArticleDto>>("/api/v1/knowledge/articles", KefuFactory.Json))!;

        imported.EnsureSuccessStatusCode();
        var result = await imported.Content.ReadFromJsonAsync<ImportResult>(KefuFactory.Json);
        Assert.Equal(new ImportResult(0, before.Count), result);
        Assert.Equal(Shape(before), Shape(after));
    }

    [Fact]
    public async Task PlainAgent_IsRefusedTheAdminEndpoints_ButMayRead()
    {
        var email = await _server.CreateAgentInDemoTenantAsync("Plain agent");
        using var http = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email));

        var create = await http.PostAsJsonAsync("/api/v1/knowledge/articles", new ArticleInput("Q?", "A", null, null, "en"), KefuFactory.Json);
        var export = await http.GetAsync("/api/v1/knowledge/export");
        var import = await http.PostAsync("/api/v1/knowledge/import", new StringContent("question,answer,language\r\n"));
        var analytics = await http.GetAsync("/api/v1/bot/analytics");
        var list = await http.GetAsync("/api/v1/knowledge/articles");

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, analytics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    private static List<string> Shape(IEnumerable<ArticleDto> articles) => articles
        .Select(a => string.Join('\u0001', a.Id, a.Question, a.Answer, string.Join('\u0002', a.Phrasings), a.Category, a.Language, a.Status))
        .Order(StringComparer.Ordinal).ToList();
}
