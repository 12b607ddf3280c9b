using System.Diagnostics;
using System.Globalization;
using Kefu.Bench.Nlu;
using Kefu.Nlu;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>nlu-eval</c>: trains the bot's intent engine on a labelled CSV (<c>text,label</c>; label <c>oos</c> =
/// out of scope) and prints one <c>RESULT {json}</c> line on stdout. With <c>--test</c> it evaluates on that file
/// (thresholds from <c>--dev</c> or from held-out training data); without, it runs <c>--folds K</c> cross-validation on
/// the training file, optionally holding out <c>--oos-intents N</c> whole intents as pseudo out-of-scope questions.
/// </summary>
public static class NluEval
{
    /// <summary>Runs the scenario; returns the process exit code.</summary>
    public static Task<int> RunAsync(BenchOptions options)
    {
        var trainPath = options.GetPath("train");
        if (trainPath is null)
        {
            Console.Error.WriteLine("nlu-eval: --train FILE is required");
            return Task.FromResult(2);
        }

        var lang = options.GetString("lang");
        if (lang is not null and not "zh" and not "en")
        {
            Console.Error.WriteLine("nlu-eval: --lang is zh or en");
            return Task.FromResult(2);
        }

        var train = LoadRows(trainPath);
        var defaults = new IntentModelOptions();
        // Engine knobs are exposed for experiments only; the bot always uses the defaults.
        IntentModelOptions ModelOptions(List<TrainingExample>? dev) => new()
        {
            Seed = options.GetInt("seed", defaults.Seed),
            MaxInScopeAccuracyLoss = options.GetDouble("max-loss", defaults.MaxInScopeAccuracyLoss),
            Epochs = options.GetInt("epochs", defaults.Epochs),
            LearningRate = (float)options.GetDouble("lr", defaults.LearningRate),
            L2 = (float)options.GetDouble("l2", defaults.L2),
            CharGramWeight = (float)options.GetDouble("char-weight", defaults.CharGramWeight),
            MaxCharGram = options.GetInt("max-char-gram", defaults.MaxCharGram),
            CalibrationFolds = options.GetInt("calibration-folds", defaults.CalibrationFolds),
            ChineseWordGrams = options.GetInt("segment", defaults.ChineseWordGrams),
            Similarity = Enum.Parse<IntentSimilarity>(options.GetString("similarity", defaults.Similarity.ToString())!, ignoreCase: true),
            HeldOutIntentShare = options.GetDouble("held-out-intents", defaults.HeldOutIntentShare),
            CalibrationExamples = dev,
        };

        var oosIntents = options.GetInt("oos-intents", 0);
        EvalResult result;
        if (options.GetPath("test") is { } testPath)
        {
            var test = LoadRows(testPath).Select(r => r.Example).ToList();
            var dev = options.GetPath("dev") is { } devPath ? Load(devPath) : null;
            var trainRows = train.Select(r => r.Example).ToList();
            // The same whole intents are removed from training and become out-of-scope questions of the test.
            var pseudoOos = PickIntents(trainRows, oosIntents, options.GetInt("seed", defaults.Seed));
            trainRows = trainRows.Where(e => !pseudoOos.Contains(e.Label)).ToList();
            test = test.Select(e => pseudoOos.Contains(e.Label) ? e with { Label = IntentModel.OutOfScopeLabel } : e).ToList();
            dev = dev?.Select(e => pseudoOos.Contains(e.Label) ? e with { Label = IntentModel.OutOfScopeLabel } : e).ToList();
            result = Evaluate(trainRows, test, ModelOptions(dev));
        }
        else
        {
            // --groups 0 ignores the group column: a random split, near-copies on both sides (for comparison only).
            var rows = options.GetInt("groups", 1) == 0 ? train.Select(r => (r.Example, (string?)null)).ToList() : train;
            result = CrossValidate(rows, options.GetInt("folds", 5), oosIntents, options.GetInt("oos-train-intents", 0), ModelOptions(null));
        }

        Console.WriteLine("RESULT " + result.ToJson(lang));
        return Task.FromResult(0);
    }

    /// <summary><paramref name="count"/> intents drawn with the seed (the same ones in every mode).</summary>
    private static HashSet<string> PickIntents(List<TrainingExample> data, int count, int seed)
    {
        var intents = data.Select(e => e.Label).Where(l => !IsOos(l)).Distinct().Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(intents);
        var picked = intents.Take(count).ToHashSet(StringComparer.Ordinal);
        if (picked.Count > 0)
        {
            Console.Error.WriteLine($"pseudo out-of-scope intents: {string.Join(", ", picked.Order(StringComparer.Ordinal))}");
        }

        return picked;
    }

    /// <param name="rows">The data, with the optional group of each row (rows of one group stay in one fold).</param>
    /// <param name="folds">Number of folds.</param>
    /// <param name="oosIntents">Whole intents held out of training as pseudo out-of-scope test questions.</param>
    /// <param name="oosTrainIntents">
    /// More intents whose rows are given to training labelled <c>oos</c> (as CLINC150's training file has out-of-scope
    /// rows); they are other topics than the test's pseudo out-of-scope intents, so the model never saw those.
    /// </param>
    /// <param name="modelOptions">Engine settings.</param>
    private static EvalResult CrossValidate(List<(TrainingExample Example, string? Group)> rows, int folds, int oosIntents, int oosTrainIntents, IntentModelOptions modelOptions)
    {
        var data = rows.Select(r => r.Example).ToList();
        var random = new Random(modelOptions.Seed);
        var intents = data.Select(e => e.Label).Where(l => !IsOos(l)).Distinct().Order(StringComparer.Ordinal).ToArray();
        random.Shuffle(intents);
        var pseudoOos = intents.Take(oosIntents).ToHashSet(StringComparer.Ordinal);
        var trainOos = intents.Skip(oosIntents).Take(oosTrainIntents).ToHashSet(StringComparer.Ordinal);
        var trainOosRows = data.Where(e => trainOos.Contains(e.Label)).Select(e => e with { Label = IntentModel.OutOfScopeLabel }).ToList();
        var kept = Enumerable.Range(0, data.Count).Where(i => !trainOos.Contains(data[i].Label)).ToList();
        if (pseudoOos.Count > 0)
        {
            Console.Error.WriteLine($"pseudo out-of-scope intents: {string.Join(", ", pseudoOos.Order(StringComparer.Ordinal))}");
        }

        var relabelled = kept.Select(i => pseudoOos.Contains(data[i].Label) ? data[i] with { Label = IntentModel.OutOfScopeLabel } : data[i]).ToList();
        // Folds are dealt per label, round robin over shuffled units: single rows, or whole groups when the file has them.
        var units = kept.Select((i, k) => (Row: k, Unit: rows[i].Group ?? "#" + k.ToString(CultureInfo.InvariantCulture))).ToList();
        var unitLabel = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (row, unit) in units)
        {
            unitLabel.TryAdd(unit, relabelled[row].Label);
        }

        var unitOrder = unitLabel.Keys.Order(StringComparer.Ordinal).ToArray();
        random.Shuffle(unitOrder);
        var unitFold = new Dictionary<string, int>(StringComparer.Ordinal);
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var unit in unitOrder)
        {
            counters.TryGetValue(unitLabel[unit], out var n);
            unitFold[unit] = n % folds;
            counters[unitLabel[unit]] = n + 1;
        }

        var fold = units.Select(u => unitFold[u.Unit]).ToArray();
        var results = new List<EvalResult>();
        for (var f = 0; f < folds; f++)
        {
            // Pseudo out-of-scope intents are unknown to the model: none of their rows is trained on.
            var train = relabelled.Where((e, i) => fold[i] != f && !IsOos(e.Label)).Concat(trainOosRows).ToList();
            var test = relabelled.Where((_, i) => fold[i] == f).ToList();
            var r = Evaluate(train, test, modelOptions);
            Console.Error.WriteLine($"fold {f + 1}/{folds}: {r.ToJson(null)}");
            results.Add(r);
        }

        return EvalResult.Average(results);
    }

    private static List<TrainingExample> Load(string path) => LoadRows(path).Select(r => r.Example).ToList();

    /// <summary>
    /// Rows of a <c>text,label[,group]</c> file. The optional <c>group</c> column names the phrasing a row was made from
    /// (generated sets render one sentence several ways); cross-validation keeps a group in one fold, so a test row is
    /// never a near-copy of a training row.
    /// </summary>
    private static List<(TrainingExample Example, string? Group)> LoadRows(string path)
    {
        var rows = Csv.Read(File.ReadAllText(path, System.Text.Encoding.UTF8)) ?? throw new InvalidDataException($"{path}: a quoted field is never closed.");
        if (rows.Count == 0)
        {
            return [];
        }

        var textColumn = Array.FindIndex(rows[0], h => h.Trim().Equals("text", StringComparison.OrdinalIgnoreCase));
        var labelColumn = Array.FindIndex(rows[0], h => h.Trim().Equals("label", StringComparison.OrdinalIgnoreCase));
        var groupColumn = Array.FindIndex(rows[0], h => h.Trim().Equals("group", StringComparison.OrdinalIgnoreCase));
        if (textColumn < 0 || labelColumn < 0)
        {
            throw new InvalidDataException($"{path}: header must have 'text' and 'label' columns");
        }

        return rows.Skip(1).Where(r => r.Length > Math.Max(textColumn, labelColumn))
            .Select(r => (new TrainingExample(r[textColumn], r[labelColumn].Trim()), groupColumn >= 0 && r.Length > groupColumn ? r[groupColumn] : null))
            .ToList();
    }

    private static EvalResult Evaluate(List<TrainingExample> train, List<TrainingExample> test, IntentModelOptions modelOptions)
    {
        var stopwatch = Stopwatch.StartNew();
        var model = IntentModel.Train(train, modelOptions);
        var trainSeconds = stopwatch.Elapsed.TotalSeconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {model.Labels.Count} intents on {train.Count} rows in {trainSeconds:F2} s; temperature {model.Temperature:F3}, threshold {model.OutOfScopeThreshold:F3}"));

        // Warm-up: at least 2,000 predictions, so tiered JIT has finished before anything is timed.
        for (var i = 0; test.Count > 0 && i < Math.Max(2000, test.Count); i++)
        {
            model.Predict(test[i % test.Count].Text);
        }

        int inScope = 0, topRight = 0, inScopeRight = 0, oos = 0, oosCaught = 0, oosPredicted = 0;
        var latencies = new double[test.Count];
        for (var i = 0; i < test.Count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var p = model.Predict(test[i].Text);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            var best = p.Top.Count > 0 ? p.Top[0].Label : null;
            oosPredicted += p.IsOutOfScope ? 1 : 0;
            if (IsOos(test[i].Label))
            {
                oos++;
                oosCaught += p.IsOutOfScope ? 1 : 0;
            }
            else
            {
                inScope++;
                var right = best == test[i].Label;
                topRight += right ? 1 : 0;
                inScopeRight += right && !p.IsOutOfScope ? 1 : 0;
            }
        }

        Array.Sort(latencies);
        return new EvalResult(
            Ratio(topRight, inScope), Ratio(inScopeRight, inScope), Ratio(oosCaught, oos), Ratio(oosCaught, oosPredicted),
            trainSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99), test.Count);
    }

    private static bool IsOos(string label) => string.Equals(label, IntentModel.OutOfScopeLabel, StringComparison.OrdinalIgnoreCase);

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
