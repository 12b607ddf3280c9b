using System.Globalization;

namespace Kefu.Bench.Nlu;

/// <summary>The figures of one nlu-eval run (see the scenario for their definitions).</summary>
public sealed record EvalResult(
    double TopAccuracy, double InScopeAccuracy, double OosRecall, double OosPrecision,
    double TrainSeconds, double P50Micros, double P99Micros, int N)
{
    /// <summary>Mean of every figure; <see cref="N"/> is summed (all test rows seen).</summary>
    public static EvalResult Average(IReadOnlyList<EvalResult> runs) => new(
        runs.Average(r => r.TopAccuracy), runs.Average(r => r.InScopeAccuracy), runs.Average(r => r.OosRecall),
        runs.Average(r => r.OosPrecision), runs.Average(r => r.TrainSeconds), runs.Average(r => r.P50Micros),
        runs.Average(r => r.P99Micros), runs.Sum(r => r.N));

    /// <summary>The single-line JSON object printed after <c>RESULT</c>; <paramref name="lang"/> (zh, en) is echoed first when given.</summary>
    public string ToJson(string? lang) => string.Create(CultureInfo.InvariantCulture,
        $"{{{(lang is null ? "" : $"\"lang\":\"{lang}\",")}\"topAccuracy\":{R(TopAccuracy)},\"inScopeAccuracy\":{R(InScopeAccuracy)},\"oosRecall\":{R(OosRecall)},\"oosPrecision\":{R(OosPrecision)},\"trainSeconds\":{R(TrainSeconds)},\"p50Micros\":{R(P50Micros)},\"p99Micros\":{R(P99Micros)},\"n\":{N}}}");

    private static string R(double v) => double.IsFinite(v) ? Math.Round(v, 4).ToString("0.####", CultureInfo.InvariantCulture) : "0";
}
