using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Contacts;

/// <summary><c>POST /api/v1/contacts/import</c>: all or nothing, every refused row reported with its column.</summary>
public sealed class ImportContactsTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task AGoodFile_CreatesEveryContact_QuotedFieldsIncluded_AndIsAudited()
    {
        using var admin = await _server.AgentHttpAsync();
        var marker = "Im" + Guid.NewGuid().ToString("N")[..6];
        var csv = $"\uFEFFName,Email,Phone,Tags\r\n\"{marker} Wang, Fang\",{marker}@example.com,+86 138 0013 8000,vip wholesale\r\n{marker} Li,,,\r\n\r\n";

        var response = await PostAsync(admin, csv);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32());
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?search={marker}&sort=name");
        Assert.Equal([marker + " Li", marker + " Wang, Fang"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        var wang = page.GetProperty("items")[1];
        Assert.Equal(["vip", "wholesale"], wang.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal((marker + "@example.com").ToLowerInvariant(), wang.GetProperty("email").GetString()!.ToLowerInvariant());
        Assert.True(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.ContactsImported && a.Detail == "imported=2")));
    }

    [Fact]
    public async Task AFileWithBadRows_StoresNothing_AndReportsEveryBadRowWithItsColumn()
    {
        using var admin = await _server.AgentHttpAsync();
        var marker = "Ib" + Guid.NewGuid().ToString("N")[..6];
        var existing = marker + "-taken@example.com";
        var first = await PostAsync(admin, $"name,email\n{marker} Existing,{existing}\n");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var csv = $"name,email,phone,tags\n{marker} Good,,,\n,{marker}@example.com,,\n{marker} Mail,not-an-email,,\n{marker} Phone,,call me,\n{marker} Tag,,,bad!tag\n{marker} Dup,{existing},,\n";

        var response = await PostAsync(admin, csv);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, report.GetProperty("imported").GetInt32());
        Assert.Equal([(2, "name"), (3, "email"), (4, "phone"), (5, "tags"), (6, "email")],
            report.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("field").GetString()!)));
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/contacts?search={marker}");
        Assert.Equal(1, page.GetProperty("total").GetInt32()); // only the earlier file's contact: not even the good row
    }

    [Theory]
    [InlineData("email,phone\na@example.com,\n")] // no name column
    [InlineData("name,shoe size\nAnn,42\n")] // an unknown column
    [InlineData("name\n\"Ann\n")] // an unclosed quote
    [InlineData("")]
    public async Task AFileThatIsNotAContactList_Is400_AndStoresNothing(string csv)
    {
        using var admin = await _server.AgentHttpAsync();
        var before = await _server.WithDbAsync(db => db.Contacts.CountAsync());

        var response = await PostAsync(admin, csv);

        await IdentifyVisitorTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_contact_csv", "file");
        Assert.Equal(before, await _server.WithDbAsync(db => db.Contacts.CountAsync()));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string csv) =>
        http.PostAsync("/api/v1/contacts/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
}
