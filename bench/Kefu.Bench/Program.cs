using Kefu.Bench;
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
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Kefu.Bench <scenario> [--name value ...]");
    Console.Error.WriteLine("scenarios:");
    Console.Error.WriteLine("  relay    [--url U] [--visitors 1000] [--agents 20] [--duration 20] [--warmup 5] [--rate R]");
    Console.Error.WriteLine("  nlu-eval --train FILE [--test FILE] [--dev FILE] [--folds K] [--oos-intents N] [--seed S]");
    return 2;
}
