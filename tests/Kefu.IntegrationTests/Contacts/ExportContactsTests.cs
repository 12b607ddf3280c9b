using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Contacts;

/// <summary><c>GET /api/v1/contacts/export</c>: streamed CSV, safe in a spreadsheet, filtered by tag, only with the export permission, audited.</summary>
public sealed class ExportContactsTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Export_QuotesEveryCell_DefusesFormulas_FiltersByTag_AndIsAudited()
    {
        using var admin = await _server.AgentHttpAsync();
        var tag = "x" + Guid.NewGuid().ToString("N")[..8];
        var formula = (await _server.NewVisitorAsync()).ContactId;
        var plain = (await _server.NewVisitorAsync()).ContactId;
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{formula}", new { name = "=HYPERLINK(\"http://evil.test\",\"click\")", tags = new[] { tag } })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/v1/contacts/{plain}", new { name = "王芳", email = "wang@example.com", tags = new[] { tag } })).EnsureSuccessStatusCode();

        var response = await admin.GetAsync($"/api/v1/contacts/export?tag={tag.ToUpperInvariant()}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = System.Text.Encoding.UTF8.GetString(bytes.AsSpan(3));
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal("id,name,email,phone,tags,customerId,unverifiedCustomerId,createdAt,lastSeenAt", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"\"{formula}\",\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"click\"\")\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"\"{plain}\",\"王芳\",\"wang@example.com\"", StringComparison.Ordinal));
        Assert.True(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.DataExported && a.Detail == "format=csv tag=" + tag.ToUpperInvariant())));
        var bad = await admin.GetAsync("/api/v1/contacts/export?tag=no%20tag");
        await IdentifyVisitorTests.AssertProblemAsync(bad, HttpStatusCode.BadRequest, "invalid_contact_query", "tag");
    }

    [Fact]
    public async Task Export_WithoutTheExportPermission_Is403()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var reader = await ws.PersonAsync();
        await admin.Http.SetAccessAsync(reader.Id, await admin.Http.CreateRoleAsync("Contacts only " + Guid.NewGuid().ToString("N")[..6], "contacts"));

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.Http.GetAsync("/api/v1/contacts/export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.Http.GetAsync("/api/v1/contacts")).StatusCode);
    }
}
