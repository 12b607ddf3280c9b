using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;

namespace Kefu.IntegrationTests.ApiKeys;

/// <summary>Creating keys and clients that send them, through the REST API as an admin would.</summary>
internal static class ApiKeyApi
{
    public static async Task<(Guid Id, string Key)> CreateKeyAsync(this HttpClient admin, string access, params string[] permissions)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "Test key " + Guid.NewGuid().ToString("N")[..6], access, permissions });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("apiKey").GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    public static HttpClient KeyHttp(this KefuFactory server, string key)
    {
        var http = server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public static async Task<string?> CodeAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("code", out var code) ? code.GetString() : null;
}
