using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Accounts;
using Kefu.IntegrationTests.Bot;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Channels;

/// <summary>
/// <c>/api/v1/inboxes</c> through real HTTP: create, read, rename, origins, appearance, bot, key, delete; each bad
/// input refused with the field at fault and nothing stored; 403 without the settings permission; 404 for another
/// workspace's inbox; every change audited.
/// </summary>
public sealed class InboxSettingsTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Admin_CreatesReadsRenamesAndDeletesAnInbox_EachStepAudited()
    {
        using var admin = await _server.AgentHttpAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/inboxes", new { name = "  Shop EU  ", allowedOrigins = new[] { "HTTPS://Shop.Example.com/", "http://localhost:8080", "https://shop.example.com" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var inbox = (await created.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!;
        Assert.Equal("Shop EU", inbox.Name);
        Assert.Equal(["https://shop.example.com", "http://localhost:8080"], inbox.AllowedOrigins);
        Assert.Equal(ChannelType.WebWidget, inbox.Channel);
        Assert.Matches("^[a-z2-9]{24}$", inbox.WidgetKey);
        Assert.Equal($"<script src=\"{_server.BaseAddress.ToString().TrimEnd('/')}/widget.js\" data-kefu-key=\"{inbox.WidgetKey}\" async></script>", inbox.EmbedSnippet);
        Assert.Equal(new InboxAppearance(InboxRules.DefaultColor, WidgetPosition.Right), inbox.Appearance);

        var list = await admin.GetFromJsonAsync<List<InboxDto>>("/api/v1/inboxes", KefuFactory.Json);
        Assert.Contains(list!, i => i.Id == inbox.Id);

        var renamed = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}", new { name = "Shop Europe", allowedOrigins = new[] { "https://eu.example.com:8443" } });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var read = await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json);
        Assert.Equal("Shop Europe", read!.Name);
        Assert.Equal(["https://eu.example.com:8443"], read.AllowedOrigins);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/inboxes/{inbox.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/inboxes/{inbox.Id}")).StatusCode);
        Assert.DoesNotContain((await admin.GetFromJsonAsync<List<InboxDto>>("/api/v1/inboxes", KefuFactory.Json))!, i => i.Id == inbox.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http().PostAsJsonAsync("/api/v1/widget/sessions", new { key = inbox.WidgetKey })).StatusCode);

        var details = (await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString())).Select(e => e.Detail).ToList();
        Assert.Equal(["created channel=WebWidget origins=2", "name, allowedOrigins=1", "deleted"], details);
        Assert.All(details, d => Assert.DoesNotContain("example", d!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"name":"","allowedOrigins":[]}""", "name")]
    [InlineData("""{"name":"   ","allowedOrigins":[]}""", "name")]
    [InlineData("""{"name":"Shop","allowedOrigins":["https://shop.example.com/path"]}""", "allowedOrigins")]
    [InlineData("""{"name":"Shop","allowedOrigins":["https://*.example.com"]}""", "allowedOrigins")]
    [InlineData("""{"name":"Shop","allowedOrigins":["*"]}""", "allowedOrigins")]
    [InlineData("""{"name":"Shop","allowedOrigins":["shop.example.com"]}""", "allowedOrigins")]
    [InlineData("""{"name":"Shop","allowedOrigins":["ftp://shop.example.com"]}""", "allowedOrigins")]
    [InlineData("""{"name":"Shop","allowedOrigins":["https://user@shop.example.com"]}""", "allowedOrigins")]
    [InlineData("""{"name":"Shop","allowedOrigins":["https://shop.example.com?x=1"]}""", "allowedOrigins")]
    [InlineData("""{"name":"Shop","channel":"email"}""", "channel")]
    public async Task Create_WithBadInput_IsRefusedWithTheField_AndStoresNothing(string body, string field)
    {
        using var admin = await _server.AgentHttpAsync();
        var before = await _server.WithDbAsync(db => db.Inboxes.CountAsync());

        var response = await admin.PostAsync("/api/v1/inboxes", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal(before, await _server.WithDbAsync(db => db.Inboxes.CountAsync()));
    }

    [Theory]
    [InlineData("/appearance", """{"color":"red","position":"left"}""", "color")]
    [InlineData("/appearance", """{"color":"#12345","position":"left"}""", "color")]
    [InlineData("/appearance", """{"color":"#123456","launcherText":"a launcher text that is far too long"}""", "launcherText")]
    [InlineData("/bot", """{"enabled":true,"name":"a bot name that is much longer than forty characters"}""", "name")]
    [InlineData("", """{"name":"Renamed","allowedOrigins":["https://ok.example.com","not an origin"]}""", "allowedOrigins")]
    public async Task Update_WithBadInput_IsRefusedWithTheField_AndChangesNothing(string path, string body, string field)
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Untouched");

        var response = await admin.PutAsync($"/api/v1/inboxes/{inbox.Id}{path}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equivalent(inbox, await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json));
        Assert.Single(await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString()));
    }

    [Fact]
    public async Task AppearanceAndBot_AreStored_AndReachTheWidgetSession()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Styled");

        var look = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/appearance",
            new { color = "#1F6FEB", position = "left", launcherText = " Chat with us ", greeting = "Welcome to the shop!\nAsk us anything." });
        var bot = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/bot", new { enabled = true, name = "Kiki", greeting = "Hi, I'm Kiki." });

        Assert.Equal(HttpStatusCode.OK, look.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bot.StatusCode);
        var read = (await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json))!;
        Assert.Equal(new InboxAppearance("#1f6feb", WidgetPosition.Left, "Chat with us", "Welcome to the shop!\nAsk us anything."), read.Appearance);
        Assert.Equal(new InboxBotSettings(true, "Kiki", "Hi, I'm Kiki."), read.Bot);
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);
        Assert.Equal("Styled", session.InboxName);
        Assert.Equal("Welcome to the shop!\nAsk us anything.", session.Greeting);
        Assert.Equal(new Kefu.Server.Features.Channels.WebWidget.WidgetLook("#1f6feb", WidgetPosition.Left, "Chat with us"), session.Appearance);
        Assert.Equal("Kiki", session.BotName);
        Assert.Equal(["created channel=WebWidget origins=1", "appearance", "bot.enabled=true, bot.name, bot.greeting"],
            (await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString())).Select(e => e.Detail));
    }

    [Fact]
    public async Task TheBot_SignsWithTheInboxsName_InBothLanguages_OrTheDefaultOfEachLanguage()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Named bot");
        await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/bot", new { enabled = true });
        await using (var english = await BotVisitor.StartAsync(_server, inbox.WidgetKey))
        await using (var chinese = await BotVisitor.StartAsync(_server, inbox.WidgetKey))
        {
            Assert.Equal("Assistant", (await english.AskAsync("hello")).SenderName);
            Assert.Equal("智能助手", (await chinese.AskAsync("你好")).SenderName);
        }

        await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/bot", new { enabled = true, name = "Kiki" });

        await using var en = await BotVisitor.StartAsync(_server, inbox.WidgetKey);
        await using var zh = await BotVisitor.StartAsync(_server, inbox.WidgetKey);
        var hello = await en.AskAsync("hello");
        var nihao = await zh.AskAsync("你好");
        Assert.Equal(("Kiki", "Kiki"), (hello.SenderName, nihao.SenderName));
        Assert.Contains("Kiki", hello.Text, StringComparison.Ordinal);
        Assert.Contains("Kiki", nihao.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowedOrigins_DecideWhichSitesMayStartAVisitorSession()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Origins");

        Assert.Equal(HttpStatusCode.OK, (await SessionFromAsync(inbox.WidgetKey!, "https://shop.example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SessionFromAsync(inbox.WidgetKey!, "https://elsewhere.example.com")).StatusCode);

        await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}", new { name = "Origins", allowedOrigins = new[] { "https://elsewhere.example.com" } });

        Assert.Equal(HttpStatusCode.Forbidden, (await SessionFromAsync(inbox.WidgetKey!, "https://shop.example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SessionFromAsync(inbox.WidgetKey!, "https://elsewhere.example.com")).StatusCode);
    }

    [Fact]
    public async Task RegeneratedKey_ReplacesTheOldOneAtOnce()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Rekeyed");
        Assert.Equal(HttpStatusCode.OK, (await SessionFromAsync(inbox.WidgetKey!, null)).StatusCode); // cached under the old key

        var response = await admin.PostAsync($"/api/v1/inboxes/{inbox.Id}/widget-key", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fresh = (await response.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!;
        Assert.NotEqual(inbox.WidgetKey, fresh.WidgetKey);
        Assert.Contains(fresh.WidgetKey!, fresh.EmbedSnippet, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SessionFromAsync(inbox.WidgetKey!, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http().GetAsync($"/widget/frame?key={inbox.WidgetKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SessionFromAsync(fresh.WidgetKey!, null)).StatusCode);
        Assert.Equal("widgetKey regenerated", (await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString()))[^1].Detail);
    }

    [Fact]
    public async Task Delete_WhileAConversationIsOpen_IsRefused_AndTheInboxKeepsWorking()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Busy");
        var conversation = await new Workspace(_server).ConversationAsync(inbox.WidgetKey, text: "still here");

        var response = await admin.DeleteAsync($"/api/v1/inboxes/{inbox.Id}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("inbox_has_open_conversations", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/inboxes/{inbox.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/inboxes/{inbox.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/conversations/{conversation}/messages")).StatusCode); // history stays
    }

    [Fact]
    public async Task WithoutTheSettingsPermission_EveryInboxRouteIs403_AndChangesNothing()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Guarded");
        using var agent = await new Workspace(_server).PersonAsync(AgentRole.Supervisor);

        foreach (var response in await EveryRouteAsync(agent.Http, inbox.Id))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equivalent(inbox, await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json));
    }

    [Fact]
    public async Task AnotherWorkspacesAdmin_Gets404_AndChangesNothing()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Ours");
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));

        foreach (var response in (await EveryRouteAsync(foreign, inbox.Id)).Skip(2)) // the first two are the list and create: their own workspace
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.DoesNotContain((await foreign.GetFromJsonAsync<List<InboxDto>>("/api/v1/inboxes", KefuFactory.Json))!, i => i.Id == inbox.Id);
        Assert.Equivalent(inbox, await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json));
    }

    private static async Task<List<HttpResponseMessage>> EveryRouteAsync(HttpClient http, Guid id) =>
    [
        await http.GetAsync("/api/v1/inboxes"),
        await http.PostAsJsonAsync("/api/v1/inboxes", new { name = "Theirs" }),
        await http.GetAsync($"/api/v1/inboxes/{id}"),
        await http.PutAsJsonAsync($"/api/v1/inboxes/{id}", new { name = "Taken", allowedOrigins = new[] { "https://evil.example.com" } }),
        await http.PutAsJsonAsync($"/api/v1/inboxes/{id}/appearance", new { color = "#000000", position = "left" }),
        await http.PutAsJsonAsync($"/api/v1/inboxes/{id}/bot", new { enabled = true, name = "Evil" }),
        await http.PutAsJsonAsync($"/api/v1/inboxes/{id}/prechat", new { enabled = true, email = new { mode = "required" } }),
        await http.PostAsync($"/api/v1/inboxes/{id}/widget-key", null),
        await http.PutAsync($"/api/v1/inboxes/{id}/avatar", new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png(64, 64)), "file", "a.png" } }),
        await http.DeleteAsync($"/api/v1/inboxes/{id}/avatar"),
        await http.DeleteAsync($"/api/v1/inboxes/{id}"),
    ];

    private static async Task<InboxDto> CreateAsync(HttpClient admin, string name)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/inboxes", new { name, allowedOrigins = new[] { "https://shop.example.com" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!;
    }

    private async Task<HttpResponseMessage> SessionFromAsync(string key, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/widget/sessions") { Content = JsonContent.Create(new { key }) };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await _server.Http().SendAsync(request);
    }
}
