using Kefu.Bench;
using Kefu.Bench.Infrastructure;
using Kefu.Bench.Scenarios;

// Dispatcher: args[0] names the scenario, the rest are --name value options. Add a scenario with one case.
if (args.Length == 0)
{
    return Usage();
}

var options = BenchOptions.Parse(args.Skip(1));
return args[0] switch
{
    "nlu-eval" => await NluEval.RunAsync(options),
    "relay" => await Relay.RunAsync(options),
    "ceiling" => await Ceiling.RunAsync(options),
    "idle" => await Idle.RunAsync(options),
    "crash" => await Crash.RunAsync(options),
    "soak" => await Soak.RunAsync(options),
    "route" => await RouteBench.RunAsync(options),
    "relay-compare" => await RelayCompare.RunAsync(options),
    "pg-restart" => await PgRestart.RunAsync(options),
    "redis-outage" => await RedisOutage.RunAsync(options),
    "overload" => await Overload.RunAsync(options),
    "echo-server" => await EchoServer.RunAsync(options),
    "plain-relay-server" => await PlainRelayServer.RunAsync(options),
    "lean-server" => await LeanVisitorServer.RunAsync(options),
    "startup" => await Startup.RunAsync(options),
    "sessions" => await Sessions.RunAsync(options),
    "search" => await SearchBench.RunAsync(options),
    "report" => await ReportBench.RunAsync(options),
    "quality" => await QualityBench.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Kefu.Bench <scenario> [--name value ...]");
    Console.Error.WriteLine("scenarios:");
    Console.Error.WriteLine("  relay    [--url U] [--visitors 1000] [--agents 20] [--duration 20] [--warmup 5] [--rate R]");
    Console.Error.WriteLine("  relay-compare [--visitors 1000] [--agents 40] [--duration 20] [--warmup 5] [--rate R]");
    Console.Error.WriteLine("  ceiling  [--visitors 1000] [--agents 20] [--duration 20] [--warmup 5]");
    Console.Error.WriteLine("  idle     [--visitors 10000] [--settle 10] [--server kefu|relay|lean-ws|lean-sse|LIST] [--relay-args \"--ws-keepalive 0 ...\"]");
    Console.Error.WriteLine("  crash    [--messages 1000] [--visitors 50] [--kill-at 0.4]");
    Console.Error.WriteLine("  soak     [--cycles 100] [--visitors 20] [--messages 3] [--restart-every 10]");
    Console.Error.WriteLine("  pg-restart   [--rate 500] [--visitors 200] [--agents 10] [--duration 40] [--restart-at 15] [--down 5]");
    Console.Error.WriteLine("  redis-outage [--rate 300] [--visitors 200] [--agents 10] [--outage-at 10] [--outage 60] [--after 20]");
    Console.Error.WriteLine("  overload     [--visitors 2000] [--agents 20] [--factor 10] [--duration 20] [--rate SUSTAINABLE]");
    Console.Error.WriteLine("  route    [--agents 1000] [--conversations 10000] [--capacity C] [--strategy RoundRobin|LeastBusy|LongestIdle] [--server-dir DIR]");
    Console.Error.WriteLine("  startup  [--runs 5] [--settle 10] [--question Q] [--server-dir DIR]");
    Console.Error.WriteLine("  sessions [--clients 32] [--duration 10] [--warmup 3] [--resume true]");
    Console.Error.WriteLine("  search   [--messages 1000000] [--per-conversation 20] [--queries 100] [--compare true]");
    Console.Error.WriteLine("  report   [--conversations 1000000] [--export-rows 100000] [--queries 40]");
    Console.Error.WriteLine("  quality  [--conversations 100000] [--batch 500]");
    Console.Error.WriteLine("  nlu-eval --train FILE [--lang zh|en] [--test FILE] [--dev FILE] [--folds K] [--groups 0|1] [--oos-intents N] [--oos-train-intents M] [--seed S]");
    return 2;
}
