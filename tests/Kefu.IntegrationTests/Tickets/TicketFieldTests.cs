using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Tickets;

/// <summary>
/// Custom ticket fields defined by admins: typed values refused with a 422 naming the field (nothing stored), required
/// on create and never cleared, shown on the ticket, filterable in the list; another workspace's definition or ticket is 404.
/// </summary>
public sealed class TicketFieldTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task CustomFields_AreTyped_Required_ShownAndFiltered_AndAnotherWorkspacesAreNotFound()
    {
        using var http = await _server.AgentHttpAsync();
        var order = await DefineAsync(http, new { key = "order_number", labelEn = "Order", labelZh = "订单号", type = "text", required = true });
        await DefineAsync(http, new { key = "amount", labelEn = "Amount", labelZh = "金额", type = "number" });
        await DefineAsync(http, new { key = "bought_on", labelEn = "Bought on", labelZh = "购买日期", type = "date" });
        await DefineAsync(http, new { key = "plan", labelEn = "Plan", labelZh = "套餐", type = "list", options = new[] { "Gold", "Silver" } });
        await DefineAsync(http, new { key = "refund", labelEn = "Refund", labelZh = "退款", type = "boolean" });
        try
        {
            var bad = new (object Body, string Code, string Field, HttpStatusCode Status)[]
            {
                (new { key = "Bad Key", labelEn = "x", labelZh = "x", type = "text" }, "invalid_ticket_field_definition", "key", HttpStatusCode.BadRequest),
                (new { key = "size", labelEn = "Size", labelZh = "尺码", type = "list" }, "invalid_ticket_field_definition", "options", HttpStatusCode.BadRequest),
                (new { key = "amount", labelEn = "Again", labelZh = "再次", type = "number" }, "ticket_field_key_taken", "key", HttpStatusCode.Conflict),
            };
            foreach (var (body, code, field, status) in bad)
            {
                Assert.Equal((status, code, field), Shape(await TicketApi.ProblemAsync(await http.PostAsJsonAsync("/api/v1/tickets/fields", body))));
            }

            var before = await CountAsync();
            var refused = new (object Body, string Code, string Field)[]
            {
                (new { subject = "No order" }, "ticket_field_required", "fields.order_number"),
                (new { subject = "x", fields = new { order_number = "A-1", amount = "twelve" } }, "invalid_ticket_field", "fields.amount"),
                (new { subject = "x", fields = new { order_number = "A-1", bought_on = "2026-02-30" } }, "invalid_ticket_field", "fields.bought_on"),
                (new { subject = "x", fields = new { order_number = "A-1", plan = "Platinum" } }, "invalid_ticket_field", "fields.plan"),
                (new { subject = "x", fields = new { order_number = "A-1", refund = "maybe" } }, "invalid_ticket_field", "fields.refund"),
                (new { subject = "x", fields = new { order_number = "A-1", colour = "red" } }, "unknown_ticket_field", "fields.colour"),
                (new { subject = "x", fields = new { order_number = (string?)null } }, "ticket_field_required", "fields.order_number"),
            };
            foreach (var (body, code, field) in refused)
            {
                Assert.Equal((HttpStatusCode.UnprocessableEntity, code, field), Shape(await TicketApi.ProblemAsync(await http.PostAsJsonAsync("/api/v1/tickets", body))));
            }

            Assert.Equal(before, await CountAsync()); // nothing stored by any refusal

            var ticket = await http.CreateTicketAsync(new { subject = "Refund please", fields = new { order_number = " A-1 ", amount = 12.50, bought_on = "2026-11-30", plan = "gold", refund = "true" } });
            Assert.Equal(
                [("order_number", "A-1"), ("amount", "12.5"), ("bought_on", "2026-11-30"), ("plan", "Gold"), ("refund", "true")],
                await FieldsAsync(http, ticket.Id()));

            // A wrong value or clearing a required field changes nothing, not even the other fields of the request.
            foreach (var (body, code, field) in new (object, string, string)[]
                     {
                         (new { fields = new { plan = "Silver", amount = "x" } }, "invalid_ticket_field", "fields.amount"),
                         (new { fields = new { plan = "Silver", order_number = "" } }, "ticket_field_required", "fields.order_number"),
                     })
            {
                Assert.Equal((HttpStatusCode.UnprocessableEntity, code, field), Shape(await TicketApi.ProblemAsync(await http.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", body))));
            }

            Assert.Contains(("plan", "Gold"), await FieldsAsync(http, ticket.Id()));
            (await http.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { fields = new { plan = "Silver", refund = (bool?)null } })).EnsureSuccessStatusCode();
            var now = await FieldsAsync(http, ticket.Id());
            Assert.Contains(("plan", "Silver"), now);
            Assert.DoesNotContain(now, f => f.Key == "refund");

            var other = await http.CreateTicketAsync(new { subject = "Other plan", fields = new { order_number = "B-2", plan = "Gold" } });
            var silver = await IdsAsync(http, "field=plan:silver");
            Assert.Contains(ticket.Id(), silver);
            Assert.DoesNotContain(other.Id(), silver);
            Assert.Contains(other.Id(), await IdsAsync(http, "field=plan:Gold"));
            Assert.Equal((HttpStatusCode.UnprocessableEntity, "unknown_ticket_field", "fields.nope"), Shape(await TicketApi.ProblemAsync(await http.GetAsync("/api/v1/tickets?field=nope:1"))));
            Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_ticket_field", "fields.amount"), Shape(await TicketApi.ProblemAsync(await http.GetAsync("/api/v1/tickets?field=amount:abc"))));

            // Another workspace, even its admin: our definition and our ticket do not exist for them.
            var (_, email) = await _server.CreateOtherTenantAsync();
            await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
            _server.Services.GetRequiredService<IAccessControl>().Invalidate(await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync()));
            using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email, KefuFactory.AdminPassword));
            Assert.Equal(HttpStatusCode.NotFound, (await foreign.DeleteAsync($"/api/v1/tickets/fields/{order.Id()}")).StatusCode);
            Assert.Empty(await foreign.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/fields") ?? []);
            Assert.Equal(HttpStatusCode.NotFound, (await foreign.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { fields = new { plan = "Gold" } })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/tickets/{ticket.Id()}")).StatusCode);
            // Their tickets do not need our required field.
            await foreign.CreateTicketAsync(new { subject = "Theirs" });
        }
        finally
        {
            // The required field would bind the other tests of this server; tickets hold it, so it is archived, not deleted.
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/v1/tickets/fields/{order.Id()}/archive", null)).StatusCode);
        }

        Assert.Equal((HttpStatusCode.Conflict, "ticket_field_in_use", null), Shape(await TicketApi.ProblemAsync(await http.DeleteAsync($"/api/v1/tickets/fields/{order.Id()}"))));
    }

    [Fact]
    public async Task AFieldsLabelsOptionsAndRequired_Change_ItsKeyAndTypeStay_AndAnotherWorkspacesIsNotFound()
    {
        using var http = await _server.AgentHttpAsync();
        var size = await DefineAsync(http, new { key = "size", labelEn = "Size", labelZh = "尺码", type = "list", options = new[] { "S", "M" } });
        var note = await DefineAsync(http, new { key = "note_text", labelEn = "Note", labelZh = "备注", type = "text" });
        try
        {
            var ticket = await http.CreateTicketAsync(new { subject = "Wrong size", fields = new { size = "M" } });
            var url = $"/api/v1/tickets/fields/{size.Id()}";

            // Refusals name the problem and store nothing: a removed option a ticket holds, a missing label, options on text.
            var refused = new (string Url, object Body, HttpStatusCode Status, string Code, string Field)[]
            {
                (url, new { labelEn = "Size", labelZh = "尺码", options = new[] { "S", "L" } }, HttpStatusCode.UnprocessableEntity, "ticket_field_option_in_use", "options"),
                (url, new { labelEn = "", labelZh = "尺码", options = new[] { "S", "M" } }, HttpStatusCode.BadRequest, "invalid_ticket_field_definition", "labelEn"),
                (url, new { labelEn = "Size", labelZh = "尺码", options = new[] { "S", "s", "M" } }, HttpStatusCode.BadRequest, "invalid_ticket_field_definition", "options"),
                ($"/api/v1/tickets/fields/{note.Id()}", new { labelEn = "Note", labelZh = "备注", options = new[] { "x" } }, HttpStatusCode.BadRequest, "invalid_ticket_field_definition", "options"),
            };
            foreach (var (target, body, status, code, field) in refused)
            {
                Assert.Equal((status, code, field), Shape(await TicketApi.ProblemAsync(await http.PutAsJsonAsync(target, body))));
            }

            var unchanged = (await http.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/fields"))!.Single(f => f.Str("key") == "size");
            Assert.Equal(("Size", "S,M", false), (unchanged.Str("labelEn"), string.Join(',', unchanged.GetProperty("options").EnumerateArray().Select(o => o.GetString())), unchanged.GetProperty("required").GetBoolean()));

            // A good change: labels, an added option, required. The key and the type stay whatever the body says.
            var changed = await http.PutAsJsonAsync(url, new { key = "renamed", type = "text", labelEn = "Shirt size", labelZh = "衬衫尺码", options = new[] { "S", "M", "L" }, required = true });
            Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
            var dto = await changed.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("size", "list", "Shirt size", "衬衫尺码", 3, true),
                (dto.Str("key"), dto.Str("type"), dto.Str("labelEn"), dto.Str("labelZh"), dto.GetProperty("options").GetArrayLength(), dto.GetProperty("required").GetBoolean()));
            (await http.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { fields = new { size = "L" } })).EnsureSuccessStatusCode();
            Assert.Contains(("size", "L"), await FieldsAsync(http, ticket.Id()));
            // Now required: a new ticket without it is refused.
            Assert.Equal((HttpStatusCode.UnprocessableEntity, "ticket_field_required", "fields.size"),
                Shape(await TicketApi.ProblemAsync(await http.PostAsJsonAsync("/api/v1/tickets", new { subject = "No size" }))));

            // Another workspace's admin: not found, and nothing changed; an unknown id too.
            var (_, email) = await _server.CreateOtherTenantAsync();
            await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
            _server.Services.GetRequiredService<IAccessControl>().Invalidate(await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync()));
            using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email, KefuFactory.AdminPassword));
            Assert.Equal((HttpStatusCode.NotFound, "ticket_field_not_found", null),
                Shape(await TicketApi.ProblemAsync(await foreign.PutAsJsonAsync(url, new { labelEn = "Theirs", labelZh = "他们的", options = new[] { "S", "M", "L" } }))));
            Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsJsonAsync($"/api/v1/tickets/fields/{Guid.NewGuid()}", new { labelEn = "X", labelZh = "X" })).StatusCode);
            Assert.Equal("Shirt size", (await http.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/fields"))!.Single(f => f.Str("key") == "size").Str("labelEn"));
        }
        finally
        {
            // A required field would bind the other tests of this server (a ticket holds it: archived; the unused one is deleted).
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/api/v1/tickets/fields/{size.Id()}/archive", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/v1/tickets/fields/{note.Id()}")).StatusCode);
        }
    }

    private static async Task<JsonElement> DefineAsync(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/v1/tickets/fields", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static (HttpStatusCode, string, string?) Shape((string Code, string? Field, HttpStatusCode Status) p) => (p.Status, p.Code, p.Field);

    private Task<int> CountAsync() => _server.WithDbAsync(db => db.Set<Ticket>().CountAsync());

    private static async Task<List<(string Key, string Value)>> FieldsAsync(HttpClient http, Guid id) =>
        [.. (await http.TicketAsync(id)).GetProperty("fields").EnumerateArray().Select(f => (f.Str("key"), f.Str("value")))];

    private static async Task<List<Guid>> IdsAsync(HttpClient http, string query) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"/api/v1/tickets?pageSize=100&{query}")).GetProperty("items").EnumerateArray().Select(t => t.Id())];
}
