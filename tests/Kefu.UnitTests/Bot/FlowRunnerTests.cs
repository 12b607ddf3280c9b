using System.Net;
using System.Text.Json.Nodes;
using Kefu.Server.Features.Bot.Flows;

namespace Kefu.UnitTests.Bot;

/// <summary>The flow runner and validator on their own: each step type, re-ask, error branches, the step budget, the save-time checks.</summary>
public sealed class FlowRunnerTests
{
    /// <summary>The merchant API and the knowledge base, scripted (they are outside the runner).</summary>
    private sealed class Effects : IFlowEffects
    {
        public Func<FlowStep, IReadOnlyDictionary<string, string>, FlowHttpResult> Http { get; init; } = (_, _) => new(false, null, "down");
        public string? Answer { get; init; }
        public List<string> Calls { get; } = [];

        public Task<FlowHttpResult> CallAsync(FlowStep step, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
        {
            Calls.Add(FlowValues.Fill(step.Url!, variables));
            return Task.FromResult(Http(step, variables));
        }

        public Task<string?> AnswerAsync(string question, CancellationToken cancellationToken) => Task.FromResult(Answer);
    }

    private static Task<FlowTurn> Run(FlowDefinition flow, FlowRunState state, string text, Effects? effects = null, string? button = null) =>
        FlowRunner.RunAsync(flow, state, new FlowInput(text, button), effects ?? new Effects(), CancellationToken.None);

    [Fact]
    public async Task DemoFlow_AsksReasksWithHint_CallsTheApi_MapsFields_AndHandsOffWithTheSkill()
    {
        var flow = DemoFlows.Zh;
        Assert.Null(FlowValidator.Validate(flow));
        var effects = new Effects
        {
            Http = (_, v) => new(true, JsonNode.Parse($$"""{"statusZh":"已发货","carrierZh":"顺丰速运","trackingNumber":"SF1","eta":"2026-12-04","n":{{v["order_number"]}}}"""), null),
        };
        var state = new FlowRunState();

        var first = await Run(flow, state, "我的订单到哪了", effects);
        Assert.Equal("请告诉我您的订单号（6 到 12 位数字）。", Assert.Single(first.Replies).Text);
        Assert.Equal("ask_order", state.Waiting);

        var wrong = await Run(flow, state, "不知道", effects);
        Assert.Equal(["订单号是 6 到 12 位数字，例如 20261234。", "请告诉我您的订单号（6 到 12 位数字）。"], wrong.Replies.Select(r => r.Text));
        Assert.Equal(1, state.Attempts);
        Assert.Empty(effects.Calls);

        var found = await Run(flow, state, " 20261234 ", effects);
        Assert.Equal(["/demo/orders/20261234"], effects.Calls);
        Assert.Equal("订单 20261234 的状态：已发货。快递：顺丰速运，运单号：SF1，预计 2026-12-04 送达。", found.Replies[0].Text);
        Assert.Equal(["修改收货地址", "没有了，谢谢"], found.Replies[1].Buttons!.Select(b => b.Label));
        Assert.Equal("more", state.Waiting);
        Assert.Null(found.Finish);

        var handoff = await Run(flow, state, "修改收货地址", effects, button: "change_address");
        Assert.Equal(new FlowFinish(true, "shipping", "flow"), handoff.Finish);
        Assert.Equal("20261234", handoff.State.Variables["order_number"]);
        Assert.Equal("change_address", handoff.State.Variables["next_action"]);
        Assert.Null(handoff.State.Waiting);
    }

    [Fact]
    public async Task SlotAskedTooOften_TakesTheFailBranch_AndHttpFailure_TakesTheErrorBranch()
    {
        var flow = DemoFlows.En;
        var state = new FlowRunState();
        await Run(flow, state, "where is my order");
        await Run(flow, state, "x");
        await Run(flow, state, "y");
        var third = await Run(flow, state, "z");
        Assert.Equal(new FlowFinish(true, null, "flow"), third.Finish);
        Assert.Equal("Sorry, I couldn't read an order number.", Assert.Single(third.Replies).Text);

        var failing = new Effects(); // the API is down: not_found, then asks again
        var s2 = new FlowRunState();
        await Run(flow, s2, "hi", failing);
        var turn = await Run(flow, s2, "123456", failing);
        Assert.Equal(["not_found", "ask_order"], turn.Trace.Skip(1));
        Assert.StartsWith("I couldn't find order 123456", turn.Replies[0].Text);
        Assert.Equal("ask_order", s2.Waiting);
        Assert.Equal("down", s2.Variables["http_error"]);
    }

    [Theory]
    [InlineData("phone", "+86 138-0013-8000", "+8613800138000")]
    [InlineData("phone", "12ab", null)]
    [InlineData("email", "li@example.com", "li@example.com")]
    [InlineData("email", "li@", null)]
    [InlineData("date", "2026年12月4日", "2026-12-04")]
    [InlineData("date", "2026-13-01", null)]
    [InlineData("choice", "BLUE", "blue")]
    [InlineData("choice", "green", null)]
    [InlineData("regex", "AB-123", "AB-123")]
    [InlineData("regex", "AB-12", null)]
    public void SlotValidation_NormalisesOrRefuses(string kind, string input, string? expected)
    {
        var validation = new FlowValidation(kind, kind == "regex" ? "^[A-Z]{2}-[0-9]{3}$" : null, kind == "choice" ? ["red", "blue"] : null);
        Assert.Equal(expected, FlowValues.Check(validation, input));
    }

    [Fact]
    public void CatastrophicPattern_RunsInLinearTime()
    {
        // (a+)+$ backtracks exponentially in the default engine; slot patterns run without backtracking.
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.Null(FlowValues.Check(new FlowValidation("regex", "^(a+)+$"), new string('a', 150) + "!"));
        Assert.True(started.ElapsedMilliseconds < 1000);
    }

    [Fact]
    public async Task BranchSetAnswerAndEnd_Run_InOneTurn()
    {
        var flow = new FlowDefinition("en", "b",
        [
            new FlowStep { Id = "b", Type = "branch", Conditions = [new FlowCondition("last_input", "contains", "vip", "tag")], Next = "kb" },
            new FlowStep { Id = "tag", Type = "set", Tag = "vip", Next = "name" },
            new FlowStep { Id = "name", Type = "set", Field = "name", Value = "{{last_input}}", Next = "kb" },
            new FlowStep { Id = "kb", Type = "answer", Next = "end", Fail = "end" },
            new FlowStep { Id = "end", Type = "end", Text = "Bye {{last_input}}" },
        ]);
        Assert.Null(FlowValidator.Validate(flow));

        var turn = await Run(flow, new FlowRunState(), "I am vip", new Effects { Answer = "From the FAQ" });

        Assert.Equal(["b", "tag", "name", "kb", "end"], turn.Trace);
        Assert.Equal(["From the FAQ", "Bye I am vip"], turn.Replies.Select(r => r.Text));
        Assert.Equal([new FlowContactChange(null, "vip", "vip"), new FlowContactChange("name", null, "I am vip")], turn.Changes);
        Assert.Equal(new FlowFinish(false, null, "flow"), turn.Finish);
    }

    [Fact]
    public async Task MessagesInALoop_StopAtTheStepBudget_AndHandOff()
    {
        // Valid at save (the branch has an exit) but the exit is never taken: the budget ends the turn.
        var flow = new FlowDefinition("en", "a",
        [
            new FlowStep { Id = "a", Type = "message", Text = "again", Next = "b" },
            new FlowStep { Id = "b", Type = "branch", Conditions = [new FlowCondition("never", "exists", null, "end")], Next = "a" },
            new FlowStep { Id = "end", Type = "end" },
        ]);
        Assert.Null(FlowValidator.Validate(flow));

        var turn = await Run(flow, new FlowRunState(), "go");

        Assert.Equal(new FlowFinish(true, null, "flow_error"), turn.Finish);
        Assert.Equal(FlowRunner.StepBudget, turn.Trace.Count);
    }

    [Theory]
    [InlineData("dangling", "flow_step_missing", "a")]
    [InlineData("loop", "flow_no_exit", "a")]
    [InlineData("regex", "flow_invalid_pattern", "ask")]
    [InlineData("file", "flow_invalid_url", "call")]
    [InlineData("template-host", "flow_invalid_url", "call")]
    [InlineData("start", "flow_step_missing", "nowhere")]
    public void BadFlows_AreRefusedAtSave_WithTheCodeAndTheStep(string kind, string code, string step)
    {
        FlowStep End() => new() { Id = "end", Type = "end" };
        var flow = kind switch
        {
            "dangling" => new FlowDefinition("en", "a", [new FlowStep { Id = "a", Type = "message", Text = "hi", Next = "ghost" }, End()]),
            "loop" => new FlowDefinition("en", "a", [new FlowStep { Id = "a", Type = "message", Text = "1", Next = "b" }, new FlowStep { Id = "b", Type = "message", Text = "2", Next = "a" }, End()]),
            "regex" => new FlowDefinition("en", "ask", [new FlowStep { Id = "ask", Type = "slot", Text = "?", Variable = "v", Validation = new FlowValidation("regex", @"(a)\1"), Next = "end" }, End()]),
            "file" => new FlowDefinition("en", "call", [new FlowStep { Id = "call", Type = "http", Url = "file:///etc/passwd", Next = "end" }, End()]),
            "template-host" => new FlowDefinition("en", "call", [new FlowStep { Id = "call", Type = "http", Url = "https://{{host}}/x", Next = "end" }, End()]),
            _ => new FlowDefinition("en", "nowhere", [End()]),
        };

        var error = FlowValidator.Validate(flow);

        Assert.Equal(code, error?.Code);
        Assert.Equal(step, error?.StepId);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:192.168.1.1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:4700::1111", true)]
    public void AddressGuard_RefusesNonPublicAddresses(string address, bool allowed) =>
        Assert.Equal(allowed, FlowAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task AddressGuard_AllowsAPrivateHost_OnlyOnThePortTheAdminListed()
    {
        Task<IPAddress[]> Resolve(string allowed, string host, int port, string scheme = "http") =>
            new FlowAddressGuard(FlowAddressGuard.ParseHosts(allowed)).ResolveAsync(host, port, scheme, CancellationToken.None);

        await Assert.ThrowsAsync<FlowAddressRefusedException>(() => Resolve("", "127.0.0.1", 5000));
        await Assert.ThrowsAsync<FlowAddressRefusedException>(() => Resolve("localhost:5000", "127.0.0.1", 5000));
        Assert.Equal([IPAddress.Loopback], await Resolve("127.0.0.1:5000 shop.test", "127.0.0.1", 5000));
        // Another port of an allowed host is another service: refused.
        await Assert.ThrowsAsync<FlowAddressRefusedException>(() => Resolve("127.0.0.1:5000", "127.0.0.1", 6379));
        // An entry without a port allows the scheme's default port only.
        Assert.Equal([IPAddress.Loopback], await Resolve("127.0.0.1", "127.0.0.1", 80));
        Assert.Equal([IPAddress.Loopback], await Resolve("127.0.0.1", "127.0.0.1", 443, "https"));
        await Assert.ThrowsAsync<FlowAddressRefusedException>(() => Resolve("127.0.0.1", "127.0.0.1", 443));
        await Assert.ThrowsAsync<FlowAddressRefusedException>(() => Resolve("127.0.0.1", "127.0.0.1", 5000));
        Assert.Equal([IPAddress.IPv6Loopback], await Resolve("[::1]:8080", "[::1]", 8080));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData(" Shop.Test:8080 ", "shop.test:8080")]
    [InlineData("shop.test", "shop.test")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    [InlineData("::1", "[::1]")]
    [InlineData("127.0.0.1:0", null)]
    [InlineData("127.0.0.1:65536", null)]
    [InlineData("127.0.0.1:", null)]
    [InlineData("127.0.0.1:http", null)]
    [InlineData("[::1", null)]
    [InlineData("bad host:80", null)]
    [InlineData("", null)]
    public void AllowedEntries_AreHostAndOptionalPort(string entry, string? stored) =>
        Assert.Equal(stored, FlowAddressGuard.NormalizeEntry(entry));

    [Theory]
    [InlineData("/orders/{{n}}", "../admin", "https://shop.example/orders/..%2Fadmin")]
    [InlineData("/orders/{{n}}?lang={{n}}", "a/b?c=d#e", "https://shop.example/orders/a%2Fb%3Fc%3Dd%23e?lang=a%2Fb%3Fc%3Dd%23e")]
    [InlineData("/orders/{{n}}.json", "..", "https://shop.example/orders/...json")]
    [InlineData("/orders/{{n}}", "%2E%2E", "https://shop.example/orders/%252E%252E")]
    [InlineData("/orders/{{n}}", "..", null)]
    [InlineData("/orders/{{n}}", ".", null)]
    [InlineData("/orders/{{n}}/items", "", null)]
    [InlineData("https://api.example/v1/{{n}}", "..", null)]
    public void ASlotValueInThePath_IsOneEscapedSegment_AndCannotMoveTheRequest(string template, string value, string? expected)
    {
        var uri = FlowHttp.Resolve(template, "https://shop.example", new Dictionary<string, string> { ["n"] = value }, out var error);

        Assert.Equal(expected, uri?.AbsoluteUri);
        Assert.Equal(expected is null, error is not null);
    }

    [Fact]
    public async Task ATurn_SendsAtMostTheHttpBudget_ThenHandsOffWithTheReason()
    {
        var steps = Enumerable.Range(1, FlowRunner.HttpBudget + 2)
            .Select(i => new FlowStep { Id = "call" + i, Type = "http", Url = "/orders/" + i, Next = i == FlowRunner.HttpBudget + 2 ? "end" : "call" + (i + 1) })
            .Append(new FlowStep { Id = "end", Type = "end", Text = "done" }).ToList();
        var flow = new FlowDefinition("en", "call1", steps);
        Assert.Null(FlowValidator.Validate(flow));
        var effects = new Effects { Http = (_, _) => new(true, null, null) };

        var turn = await Run(flow, new FlowRunState(), "hi", effects);

        Assert.Equal(FlowRunner.HttpBudget, effects.Calls.Count);
        Assert.Equal(new FlowFinish(true, null, "flow_error"), turn.Finish);
        Assert.Contains("HTTP actions in one turn", turn.State.Variables["http_error"], StringComparison.Ordinal);
        Assert.Empty(turn.Replies);
    }

    [Fact]
    public void Signature_IsHmacSha256_OfTimestampMethodPathAndBody()
    {
        // The example in docs/bot-flows.md.
        Assert.Equal("v1=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("flsec_test"u8, "1764650000.GET./orders/20261234."u8)),
            FlowHttp.Sign("flsec_test", 1764650000, "GET", "/orders/20261234", ""));
    }

    [Theory]
    [InlineData("https://shop.example/api/orders/1", "https://shop.example/api", true)]
    [InlineData("https://SHOP.example:443/x", "https://shop.example", true)]
    [InlineData("https://other.example/orders/1", "https://shop.example/api", false)]
    [InlineData("http://shop.example/orders/1", "https://shop.example", false)]
    [InlineData("https://shop.example:8443/orders/1", "https://shop.example", false)]
    [InlineData("https://shop.example/orders/1", "", false)]
    public void OnlyTheBaseUrlsServer_GetsTheSignature(string url, string baseUrl, bool signed) =>
        Assert.Equal(signed, FlowHttp.SameServer(new Uri(url), baseUrl));

    [Fact]
    public void JsonPaths_ReadFieldsAndIndexes()
    {
        var node = JsonNode.Parse("""{"a":{"b":[{"c":"x"},{"c":2}]},"t":true}""");
        Assert.Equal("x", JsonPath.Read(node, "$.a.b[0].c"));
        Assert.Equal("2", JsonPath.Read(node, "$.a.b[1]['c']"));
        Assert.Equal("true", JsonPath.Read(node, "$.t"));
        Assert.Null(JsonPath.Read(node, "$.a.b[5].c"));
        Assert.False(JsonPath.IsValid("$..a"));
    }

    [Fact]
    public void AStateOfLongChineseAnswers_IsStoredAsCharacters_AndKeptWithinItsColumn()
    {
        var state = new FlowRunState { Waiting = "address" };
        state.Variables["order"] = "20261234";
        state.Variables["note"] = new string('长', 3000);
        state.Variables["address"] = new string('址', 3000);
        state.Variables["more"] = new string('多', 3000);

        var json = FlowEngine.Bounded(state);

        Assert.True(json.Length <= BotFlowRun.MaxStateLength, $"{json.Length} characters");
        Assert.Contains("长长长", json, StringComparison.Ordinal); // not \u957F escapes: two of the three fit
        var stored = System.Text.Json.JsonSerializer.Deserialize<FlowRunState>(json, FlowDefinition.Json)!;
        Assert.Equal("address", stored.Waiting);
        Assert.Equal("20261234", stored.Variables["order"]);
        Assert.Equal(3, stored.Variables.Count);
    }
}
