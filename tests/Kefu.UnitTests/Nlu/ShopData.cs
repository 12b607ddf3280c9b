using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

/// <summary>The synthetic online-shop intent set (Chinese with some English) under Nlu/Data, trained once per test class.</summary>
public sealed class ShopData
{
    public ShopData()
    {
        Train = Load("shop-zh-train.csv");
        Test = Load("shop-zh-test.csv");
        Model = IntentModel.Train(Train);
    }

    public IReadOnlyList<TrainingExample> Train { get; }

    public IReadOnlyList<TrainingExample> Test { get; }

    public IntentModel Model { get; }

    // The files hold no quoted fields: the label is after the last comma.
    private static List<TrainingExample> Load(string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Nlu", "Data", name)).Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => new TrainingExample(l[..l.LastIndexOf(',')], l[(l.LastIndexOf(',') + 1)..]))
            .ToList();
}
