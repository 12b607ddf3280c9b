using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Privacy.Masking;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Privacy;

/// <summary><c>GET/PUT /api/v1/workspace/privacy/masking</c>: defaults, validation, permission, audit, and the effect on the next message.</summary>
public sealed class MaskingSettingsTests : IAsyncLifetime
{
    private const string Route = "/api/v1/workspace/privacy/masking";
    private readonly KefuFactory _server = new();

    public Task InitializeAsync()
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Settings_DefaultToNumbersOn_EmailOff_AndAChangeAppliesToTheNextMessage_AndIsAudited()
    {
        using var http = await _server.AgentHttpAsync();

        Assert.Equal(new MaskingSettingsDto(true, true, true, false), await http.GetFromJsonAsync<MaskingSettingsDto>(Route, KefuFactory.Json));
        Assert.Equal("手机138****8000 mail zhang@example.com", (await SendAsync("手机13800138000 mail zhang@example.com")).Text);

        var put = await http.PutAsJsonAsync(Route, new { identityNumbers = true, mobileNumbers = false, bankCards = true, emailAddresses = true });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(new MaskingSettingsDto(true, false, true, true), await http.GetFromJsonAsync<MaskingSettingsDto>(Route, KefuFactory.Json));
        Assert.Equal("手机13800138000 mail z***@example.com", (await SendAsync("手机13800138000 mail zhang@example.com")).Text);
        var entry = await _server.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SettingChanged && e.TargetId == "privacy.masking"));
        Assert.Equal("identity=on mobile=off card=on email=on", entry.Detail);
    }

    [Theory]
    [InlineData("""{"identityNumbers":true,"mobileNumbers":false,"bankCards":true}""", "invalid_masking_settings")]
    [InlineData("""{"identityNumbers":true,"mobileNumbers":null,"bankCards":true,"emailAddresses":true}""", "invalid_masking_settings")]
    [InlineData("""{"identityNumbers":"yes","mobileNumbers":false,"bankCards":true,"emailAddresses":true}""", null)]
    [InlineData("""[]""", null)]
    public async Task BadSettings_AreRefusedWithProblemDetails_AndNothingIsSaved(string body, string? code)
    {
        using var http = await _server.AgentHttpAsync();

        var response = await http.PutAsync(Route, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (code is not null)
        {
            Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        Assert.False(await _server.WithDbAsync(db => db.MaskingSettings.AnyAsync()));
        Assert.Equal(new MaskingSettingsDto(true, true, true, false), await http.GetFromJsonAsync<MaskingSettingsDto>(Route, KefuFactory.Json));
    }

    [Fact]
    public async Task AnAgentWithoutTheSettingsPermission_CannotReadOrChangeThem()
    {
        using var http = await _server.AgentHttpAsync(await _server.AgentTokenAsync(await _server.CreateAgentInDemoTenantAsync()));

        var get = await http.GetAsync(Route);
        var put = await http.PutAsJsonAsync(Route, new { identityNumbers = false, mobileNumbers = false, bankCards = false, emailAddresses = false });

        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.MaskingSettings.AnyAsync()));
    }

    private async Task<MessageDto> SendAsync(string text)
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, Guid.NewGuid().ToString("N"), text, null));
        Assert.True(ack.Ok, ack.Error?.Code);
        return ack.Value!.Message;
    }
}
