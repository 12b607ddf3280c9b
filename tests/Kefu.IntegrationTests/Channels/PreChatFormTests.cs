using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Accounts;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Routing;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Channels;

/// <summary>
/// The pre-chat form through real HTTP, the visitor hub and the database: the settings (valid, invalid with the field,
/// wrong role, another workspace), the visitor's answers (checked at the edge, recorded on the contact) and the
/// department's skills deciding who the conversation is routed to.
/// </summary>
public sealed class PreChatFormTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private static readonly object BillingForm = new
    {
        enabled = true,
        name = new { mode = "optional" },
        email = new { mode = "required", label = "Work e-mail", labelZh = "工作邮箱" },
        phone = new { mode = "optional" },
        department = new { mode = "required" },
        departments = new object[] { new { label = "Sales", labelZh = "销售" }, new { label = "Billing", labelZh = "账务", skills = "Billing:2" } },
    };

    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Admin_SetsTheForm_ItIsStoredCleaned_Audited_AndReachesANewVisitor()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Forms");

        var response = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/prechat", BillingForm);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = (await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json))!.PreChat;
        Assert.True(form.Enabled);
        Assert.Equal(new PreChatField(PreChatFieldMode.Required, "Work e-mail", "工作邮箱"), form.Email);
        Assert.Equal(new PreChatField(PreChatFieldMode.Optional), form.Name);
        Assert.Equal([new PreChatDepartment("Sales", "销售"), new PreChatDepartment("Billing", "账务", "Billing:2")], form.Departments!);
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);
        Assert.Equal(form, session.PreChat, new FormComparer());
        var detail = (await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString()))[^1].Detail;
        Assert.Equal("prechat.enabled=true name=optional email=required phone=optional department=required departments=2", detail);
    }

    [Theory]
    [InlineData("""{"enabled":true,"department":{"mode":"required"},"departments":[{"label":"  ","skills":"billing"}]}""", "departments")]
    [InlineData("""{"enabled":true,"department":{"mode":"required"},"departments":[]}""", "departments")]
    [InlineData("""{"enabled":true,"department":{"mode":"optional"},"departments":[{"label":"Billing","skills":"billing:11"}]}""", "departmentSkills")]
    [InlineData("""{"enabled":true,"department":{"mode":"optional"},"departments":[{"label":"Billing","skills":"a:b:c"}]}""", "departmentSkills")]
    [InlineData("""{"enabled":true,"email":{"mode":"required","label":"an e-mail label that goes on and on well past the sixty characters"}}""", "email")]
    [InlineData("""{"enabled":true,"phone":{"mode":"optional","labelZh":"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"}}""", "phone")]
    public async Task BadForm_IsRefusedWithTheField_AndNothingIsSaved(string body, string field)
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Refused");

        var response = await admin.PutAsync($"/api/v1/inboxes/{inbox.Id}/prechat", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Null(await _server.WithDbAsync(db => db.Inboxes.Where(i => i.Id == inbox.Id).Select(i => i.PreChatForm).FirstAsync()));
        Assert.Single(await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString()));
    }

    [Fact]
    public async Task TooManyDepartments_AreRefused()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Crowded");
        var departments = Enumerable.Range(1, PreChatRules.MaxDepartments + 1).Select(i => new { label = $"Team {i}" }).ToArray();

        var response = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/prechat", new { enabled = true, department = new { mode = "optional" }, departments });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("departments", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task WithoutTheSettingsPermission_403_AndAnotherWorkspace_404_NothingChanges()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Guarded form");
        using var supervisor = await new Workspace(_server).PersonAsync(AgentRole.Supervisor);
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));

        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.Http.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/prechat", BillingForm)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/prechat", BillingForm)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Http().PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/prechat", BillingForm)).StatusCode);

        Assert.Null(await _server.WithDbAsync(db => db.Inboxes.Where(i => i.Id == inbox.Id).Select(i => i.PreChatForm).FirstAsync()));
    }

    [Theory]
    [InlineData("""{"email":"not-an-address","department":1}""", "email")]
    [InlineData("""{"email":"a@localhost","department":1}""", "email")]
    [InlineData("""{"email":"\"Eve\" <eve@example.com>","department":1}""", "email")]
    [InlineData("""{"department":1}""", "email")]
    [InlineData("""{"email":"ann@example.com"}""", "department")]
    [InlineData("""{"email":"ann@example.com","department":2}""", "department")]
    [InlineData("""{"email":"ann@example.com","department":-1}""", "department")]
    [InlineData("""{"email":"ann@example.com","department":0,"phone":"call me maybe"}""", "phone")]
    [InlineData("""{"email":"ann@example.com","department":0,"phone":"123"}""", "phone")]
    public async Task BadAnswers_AreRefusedWithTheField_AndTheContactIsUntouched(string body, string field)
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Strict");
        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/prechat", BillingForm)).EnsureSuccessStatusCode();
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);

        var response = await AnswerAsync(session.Token, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((PreChatRules.InvalidAnswerCode, field), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        var contact = await _server.WithDbAsync(db => db.Contacts.FirstAsync(c => c.Id == session.ContactId));
        Assert.Null(contact.Email);
        Assert.False(await _server.WithDbAsync(db => db.PreChatSubmissions.AnyAsync(p => p.ContactId == session.ContactId)));
        Assert.NotNull((await _server.NewVisitorAsync(inbox.WidgetKey, session.Token)).PreChat); // still asked
    }

    [Fact]
    public async Task Answers_UpdateTheContact_AndTheFormIsNotAskedAgain()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Answered");
        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/prechat", BillingForm)).EnsureSuccessStatusCode();
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);

        var response = await AnswerAsync(session.Token, JsonContent.Create(new { name = " Ann\nLee ", email = "Ann@Example.com", phone = "+86 138-0013-8000", department = 1 }));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var contact = await _server.WithDbAsync(db => db.Contacts.FirstAsync(c => c.Id == session.ContactId));
        Assert.Equal(("Ann Lee", "ann@example.com", "+86 138-0013-8000"), (contact.Name, contact.Email, contact.Phone));
        var answer = await _server.WithDbAsync(db => db.PreChatSubmissions.FirstAsync(p => p.ContactId == session.ContactId));
        Assert.Equal(("Billing", "Billing:2"), (answer.Department, answer.RequiredSkills));
        Assert.Null((await _server.NewVisitorAsync(inbox.WidgetKey, session.Token)).PreChat);
        Assert.False(await _server.WithDbAsync(db => db.ContactIdentities.AnyAsync(i => i.ContactId == session.ContactId))); // an unproven address is no identity
    }

    [Fact]
    public async Task Answers_WhenTheFormIsOff_OrWithoutAVisitorToken_AreRefused()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "No form");
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);
        Assert.Null(session.PreChat);

        var off = await AnswerAsync(session.Token, JsonContent.Create(new { email = "ann@example.com" }));
        var anonymous = await _server.Http().PostAsJsonAsync("/api/v1/widget/prechat", new { email = "ann@example.com" });
        var agent = await admin.PostAsJsonAsync("/api/v1/widget/prechat", new { email = "ann@example.com" });

        Assert.Equal("prechat_off", (await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(agent.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"an agent's token got {(int)agent.StatusCode}");
        Assert.Null(await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == session.ContactId).Select(c => c.Email).FirstAsync()));
    }

    [Fact]
    public async Task DepartmentBilling_IsRoutedOnlyToAnAgentWithTheBillingSkill()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto });
        var inboxId = await server.WithDbAsync(db => db.Inboxes.OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());
        using (var admin = await server.AgentHttpAsync())
        {
            (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/prechat", BillingForm)).EnsureSuccessStatusCode();
        }

        await using var generalist = await server.AgentAsync("Generalist", capacity: 5);
        await using var billing = await VisitorAsync(server, department: 1);
        var queued = () => server.WithDbAsync(db => db.QueueEntries.Where(q => q.ConversationId == billing.ConversationId).Select(q => q.RequiredSkills).FirstOrDefaultAsync());
        await Wait.UntilAsync(async () => await queued() is not null, "the Billing visitor in the queue");
        Assert.Equal("Billing:2", await queued()); // skill names compare case-insensitively: the agent below has "billing:3"

        // A visitor who chose Sales reaches the generalist, so the router ran and had a free agent: Billing still waits.
        await using var sales = await VisitorAsync(server, department: 0);
        Assert.Equal(generalist.Id, await server.WaitForAssigneeAsync(sales.ConversationId));
        Assert.Null(await server.AssigneeAsync(billing.ConversationId));

        var biller = await server.AgentAsync("Biller", capacity: 5, connect: false);
        using (var admin = await server.AgentHttpAsync())
        {
            (await admin.PutAsJsonAsync($"/api/v1/agents/{biller.Id}/routing", new { capacity = 5, skills = "billing:3" }, KefuFactory.Json)).EnsureSuccessStatusCode();
        }

        await biller.Hub.StartAsync();
        await using (biller)
        {
            Assert.Equal(biller.Id, await server.WaitForAssigneeAsync(billing.ConversationId));
        }
    }

    private static async Task<QueuedVisitor> VisitorAsync(KefuFactory server, int department)
    {
        var session = await server.NewVisitorAsync();
        using var http = server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        (await http.PostAsJsonAsync("/api/v1/widget/prechat", new { email = $"v{department}@example.com", department })).EnsureSuccessStatusCode();
        var hub = await server.ConnectVisitorAsync(session.Token);
        var queue = new Events<QueueStatusEvent>(hub, "QueueUpdated");
        var ack = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "m-" + Guid.NewGuid().ToString("N")[..8], "about my invoice", null));
        return new QueuedVisitor(session.ContactId, ack.Value!.ConversationId, hub, queue);
    }

    private async Task<HttpResponseMessage> AnswerAsync(string token, HttpContent content)
    {
        using var http = _server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/widget/prechat") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task<InboxDto> CreateAsync(HttpClient admin, string name)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/inboxes", new { name, allowedOrigins = new[] { "https://shop.example.com" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!;
    }

    /// <summary>Records with lists compare by reference; forms are equal when their JSON is.</summary>
    private sealed class FormComparer : IEqualityComparer<PreChatForm?>
    {
        public bool Equals(PreChatForm? x, PreChatForm? y) => JsonSerializer.Serialize(x) == JsonSerializer.Serialize(y);

        public int GetHashCode(PreChatForm? obj) => 0;
    }
}
