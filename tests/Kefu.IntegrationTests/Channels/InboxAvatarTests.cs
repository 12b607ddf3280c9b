using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Accounts;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Channels;

/// <summary>
/// <c>PUT/DELETE /api/v1/inboxes/{id}/avatar</c> and <c>/media/avatars/…</c> through real HTTP: the type is the bytes'
/// (never the name or the declared type), the size is the header's, bad files leave nothing behind, the file is
/// served as the immutable public image it is, and an old file goes once no inbox shows it.
/// </summary>
public sealed class InboxAvatarTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Theory]
    [InlineData("png", "image/png")]
    [InlineData("jpg", "image/jpeg")]
    [InlineData("webp", "image/webp")]
    [InlineData("gif", "image/gif")]
    public async Task EachAcceptedType_IsStoredByItsHash_ServedAsItself_AndReachesTheWidget(string extension, string contentType)
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin);
        var image = TestImages.Make(extension, 64, 48);

        // Neither the name nor the declared type says what it is.
        var response = await UploadAsync(admin, inbox.Id, image, "avatar.bin", "application/octet-stream");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = (await response.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!;
        var path = $"/media/avatars/{Sha256(image)}.{extension}";
        Assert.Equal(_server.BaseAddress.ToString().TrimEnd('/') + path, saved.AvatarUrl);
        Assert.Equal(saved.AvatarUrl, (await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json))!.AvatarUrl);

        using var served = await _server.Http().GetAsync(path); // no credentials: visitors have none
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(contentType, served.Content.Headers.ContentType!.MediaType);
        Assert.Equal(image, await served.Content.ReadAsByteArrayAsync());

        var session = await _server.Http().PostAsJsonAsync("/api/v1/widget/sessions", new { key = inbox.WidgetKey });
        Assert.Equal(path, (await session.Content.ReadFromJsonAsync<WidgetSession>(KefuFactory.Json))!.AvatarUrl);
        Assert.Equal($"avatar {contentType} 64x48", (await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString()))[^1].Detail);
    }

    [Fact]
    public async Task TheServedFile_IsAnImmutablePublicImage_ThatNoBrowserRunsOrSniffs()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin);
        var saved = await SetAsync(admin, inbox.Id, TestImages.Png(40, 40));

        using var served = await _server.Http().GetAsync(new Uri(saved.AvatarUrl!).AbsolutePath);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("public, max-age=31536000, immutable", served.Headers.CacheControl!.ToString());
        Assert.Equal("default-src 'none'", served.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("cross-origin", served.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
        Assert.False(served.Headers.Contains("Set-Cookie"));

        // Unknown hashes, names this server never writes, and paths that try to leave the folder are all "not found".
        foreach (var unknown in new[] { $"{new string('a', 64)}.png", $"{Sha256(TestImages.Png(40, 40))}.svg", "..%2F..%2Fkefu.db", "kefu.db" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _server.Http().GetAsync("/media/avatars/" + unknown)).StatusCode);
        }
    }

    [Fact]
    public async Task APngNamedGif_IsStoredAndServedAsThePngItIs()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin);
        var png = TestImages.Png(64, 64);

        var saved = await SetAsync(admin, inbox.Id, png, "avatar.gif", "image/gif");

        Assert.EndsWith($"/media/avatars/{Sha256(png)}.png", saved.AvatarUrl, StringComparison.Ordinal);
        using var served = await _server.Http().GetAsync(new Uri(saved.AvatarUrl!).AbsolutePath);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
    }

    public static TheoryData<string, byte[], string, string> Refused => new()
    {
        { "an SVG (it can carry script)", Encoding.UTF8.GetBytes("""<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>"""), "logo.svg", "image/svg+xml" },
        { "an HTML page declared a PNG", Encoding.UTF8.GetBytes("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"), "avatar.png", "image/png" },
        { "a PNG signature with no IHDR", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0], "avatar.png", "image/png" },
        { "a file over 512 KB", TestImages.Png(64, 64, padding: 512 * 1024), "avatar.png", "image/png" },
        { "a body far over the limit, refused before it is read", TestImages.Png(64, 64, padding: 2 * 1024 * 1024), "avatar.png", "image/png" },
        { "an image wider than 1024 pixels", TestImages.Png(1025, 40), "avatar.png", "image/png" },
        { "an image taller than 1024 pixels", TestImages.Gif(40, 1025), "avatar.gif", "image/gif" },
        { "an image smaller than 32 pixels", TestImages.Jpeg(31, 64), "avatar.jpg", "image/jpeg" },
        { "an empty file", [], "avatar.png", "image/png" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task BadFiles_AreRefusedWithTheAvatarField_AndLeaveTheAvatarAndTheFolderAsTheyWere(string what, byte[] bytes, string name, string declared)
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin);
        var kept = await SetAsync(admin, inbox.Id, TestImages.Png(50, 50));
        var files = AvatarFiles();

        var response = await UploadAsync(admin, inbox.Id, bytes, name, declared);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("avatar", problem.GetProperty("field").GetString());
        Assert.Equal(kept.AvatarUrl, (await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json))!.AvatarUrl);
        Assert.Equal(files, AvatarFiles());
        Assert.Equal(2, (await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString())).Count); // created, the first avatar
    }

    [Fact]
    public async Task ARequestWithoutOneFile_IsRefusedWithTheAvatarField()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin);
        using var two = new MultipartFormDataContent
        {
            { new ByteArrayContent(TestImages.Png(40, 40)), "file", "a.png" },
            { new ByteArrayContent(TestImages.Png(41, 41)), "file", "b.png" },
        };

        foreach (HttpContent body in new HttpContent[] { two, JsonContent.Create(new { avatar = "x" }), new MultipartFormDataContent { { new StringContent("x"), "name" } } })
        {
            var response = await admin.PutAsync($"/api/v1/inboxes/{inbox.Id}/avatar", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("avatar", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Replacing_ChangesTheAddress_AndTheOldFileGoes_OnceNoInboxShowsIt()
    {
        using var admin = await _server.AgentHttpAsync();
        var first = await CreateAsync(admin);
        var second = await CreateAsync(admin);
        var shared = TestImages.Png(64, 64);
        var sharedPath = new Uri((await SetAsync(admin, first.Id, shared)).AvatarUrl!).AbsolutePath;
        Assert.Equal(sharedPath, new Uri((await SetAsync(admin, second.Id, shared)).AvatarUrl!).AbsolutePath); // one file for both

        var replaced = await SetAsync(admin, first.Id, TestImages.Jpeg(64, 64));

        Assert.NotEqual(sharedPath, new Uri(replaced.AvatarUrl!).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await _server.Http().GetAsync(sharedPath)).StatusCode); // the second inbox still shows it
        Assert.Contains(Path.GetFileName(sharedPath), AvatarFiles());

        var removed = await admin.DeleteAsync($"/api/v1/inboxes/{second.Id}/avatar");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Null((await removed.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!.AvatarUrl);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http().GetAsync(sharedPath)).StatusCode);
        Assert.DoesNotContain(Path.GetFileName(sharedPath), AvatarFiles());
        Assert.Contains(Path.GetFileName(replaced.AvatarUrl!), AvatarFiles());
        var session = await _server.Http().PostAsJsonAsync("/api/v1/widget/sessions", new { key = second.WidgetKey });
        Assert.Null((await session.Content.ReadFromJsonAsync<WidgetSession>(KefuFactory.Json))!.AvatarUrl);
        Assert.Equal("avatar removed", (await _server.EntriesAsync(AuditActions.SettingChanged, second.Id.ToString()))[^1].Detail);
    }

    [Fact]
    public async Task AnotherWorkspacesAdmin_Gets404_AndARoleWithoutSettings403_AndNothingIsStored()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin);
        var kept = await SetAsync(admin, inbox.Id, TestImages.Png(50, 50));
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        using var supervisor = await new Workspace(_server).PersonAsync(AgentRole.Supervisor);
        var files = AvatarFiles();

        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(foreign, inbox.Id, TestImages.Png(60, 60))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.DeleteAsync($"/api/v1/inboxes/{inbox.Id}/avatar")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(supervisor.Http, inbox.Id, TestImages.Png(61, 61))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.Http.DeleteAsync($"/api/v1/inboxes/{inbox.Id}/avatar")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UploadAsync(_server.Http(), inbox.Id, TestImages.Png(62, 62))).StatusCode);

        Assert.Equal(kept.AvatarUrl, (await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json))!.AvatarUrl);
        Assert.Equal(files, AvatarFiles());
    }

    private List<string> AvatarFiles()
    {
        var folder = Path.Combine(_server.DataDirectory, "uploads", "avatars");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order()] : [];
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient http, Guid inbox, byte[] bytes, string name = "avatar.png", string declared = "image/png")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(declared);
        using var form = new MultipartFormDataContent { { file, "file", name } };
        return await http.PutAsync($"/api/v1/inboxes/{inbox}/avatar", form);
    }

    private static async Task<InboxDto> SetAsync(HttpClient http, Guid inbox, byte[] bytes, string name = "avatar.png", string declared = "image/png")
    {
        var response = await UploadAsync(http, inbox, bytes, name, declared);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!;
    }

    private static async Task<InboxDto> CreateAsync(HttpClient admin)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/inboxes", new { name = "Avatar " + Guid.NewGuid().ToString("N")[..6], allowedOrigins = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!;
    }
}
