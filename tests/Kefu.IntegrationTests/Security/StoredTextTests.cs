using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.People;
using Kefu.Server.Features.Agents;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Security;

/// <summary>Control and bidi characters never reach storage, headers or other people's screens.</summary>
public sealed class StoredTextTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private const string Hostile = "\u202E\u0000\r\n\u2066\u0007";
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task AgentAndTeamNames_AreStoredWithoutControlOrBidiCharacters()
    {
        using var admin = await _server.AgentHttpAsync();

        var agent = await admin.PostAsJsonAsync("/api/v1/agents", new
        {
            email = $"eve-{Guid.NewGuid():N}@demo.test", displayName = $"Eve{Hostile}Mallory", password = KefuFactory.AdminPassword,
        });
        var team = await admin.PostAsJsonAsync("/api/v1/teams", new { name = $"Sales{Hostile}{Guid.NewGuid():N}" });
        var onlyControls = await admin.PostAsJsonAsync("/api/v1/agents", new
        {
            email = $"ghost-{Guid.NewGuid():N}@demo.test", displayName = Hostile, password = KefuFactory.AdminPassword,
        });

        Assert.Equal(HttpStatusCode.Created, agent.StatusCode);
        Assert.Equal(HttpStatusCode.Created, team.StatusCode);
        var agentDto = (await agent.Content.ReadFromJsonAsync<AgentDto>(KefuFactory.Json))!;
        var teamDto = (await team.Content.ReadFromJsonAsync<TeamDto>(KefuFactory.Json))!;
        Assert.Equal("Eve Mallory", await _server.WithDbAsync(db => db.Users.Where(u => u.Id == agentDto.Id).Select(u => u.DisplayName).SingleAsync()));
        AssertClean(await _server.WithDbAsync(db => db.Teams.Where(t => t.Id == teamDto.Id).Select(t => t.Name).SingleAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, onlyControls.StatusCode);
    }

    [Fact]
    public async Task ArticleFields_KeepOnlyLineBreaksAndTabsInTheAnswer_AndNothingInOneLineFields()
    {
        using var admin = await _server.AgentHttpAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/knowledge/articles", new
        {
            question = $"Refund{Hostile}?", answer = $"Line one\r\n\tLine two{Hostile}end", phrasings = new[] { $"money{Hostile}back" },
            category = $"orders{Hostile}", language = "en", status = "published",
        }, KefuFactory.Json);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<ArticleDto>(KefuFactory.Json))!.Id;
        var stored = await _server.WithDbAsync(db => db.Articles.SingleAsync(a => a.Id == id));
        Assert.Equal("Refund ?", stored.Question);
        Assert.Equal("Line one\n\tLine two\nend", stored.Answer);
        Assert.Equal("money back", Assert.Single(stored.Phrasings));
        Assert.Equal("orders", stored.Category);
    }

    [Fact]
    public async Task AttachmentFileName_IsCleanedBeforeStoring_AndTheDownloadHeaderIsPlainAscii()
    {
        var session = await _server.NewVisitorAsync();
        using var http = _server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        // The name travels RFC 8187-encoded, which is how a client gets CR, LF and NUL into it.
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("just text"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        file.Headers.TryAddWithoutValidation("Content-Disposition", "form-data; name=\"file\"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E2%80%AEgpj%00%0D%0AX-Evil%3A%201.txt");
        var form = new MultipartFormDataContent { file };

        var upload = await http.PostAsync("/api/v1/attachments", form);
        var dto = (await upload.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
        var download = await _server.Http().GetAsync(dto.Url);

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal("报价gpj X-Evil: 1.txt", dto.FileName);
        Assert.Equal(dto.FileName, await _server.WithDbAsync(db => db.Attachments.Where(a => a.Id == dto.Id).Select(a => a.FileName).SingleAsync()));
        Assert.False(download.Headers.Contains("X-Evil"));
        var disposition = download.Content.Headers.GetValues("Content-Disposition").Single();
        Assert.All(disposition, c => Assert.InRange(c, ' ', '~'));
        Assert.Equal(dto.FileName, download.Content.Headers.ContentDisposition!.FileNameStar);
    }

    [Theory]
    [InlineData("vipTags", "vip\u202E")]
    [InlineData("requiredSkills", "en\u202E:3")]
    [InlineData("businessHours", "mon-fri 09:00-18:00;\u0000")]
    public async Task RoutingSettings_WithControlOrBidiCharacters_AreRefused(string field, string value)
    {
        using var admin = await _server.AgentHttpAsync();
        var inboxId = await _server.WithDbAsync(db => db.Inboxes.OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());
        var before = await _server.WithDbAsync(db => db.InboxRoutings.CountAsync(r => r.InboxId == inboxId));

        var response = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/routing", new Dictionary<string, object> { ["mode"] = "manual", [field] = value });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await _server.WithDbAsync(db => db.InboxRoutings.CountAsync(r => r.InboxId == inboxId)));
    }

    [Fact]
    public async Task AgentSkills_WithBidiCharacters_AreRefused()
    {
        using var admin = await _server.AgentHttpAsync();
        var adminId = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == KefuFactory.AdminEmail).Select(u => u.Id).SingleAsync());

        var skills = await admin.PutAsJsonAsync($"/api/v1/agents/{adminId}/routing", new { skills = "zh\u202E:5" });
        var shifts = await admin.PutAsJsonAsync($"/api/v1/agents/{adminId}/routing", new { shifts = "mon-fri 09:00-17:00\u0000" });

        Assert.Equal(HttpStatusCode.BadRequest, skills.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, shifts.StatusCode);
    }

    private static void AssertClean(string value) =>
        Assert.DoesNotContain(value, c => char.IsControl(c) || Kefu.Server.Hosting.SafeText.IsBidiControl(c));
}
