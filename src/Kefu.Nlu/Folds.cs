namespace Kefu.Nlu;

/// <summary>Deterministic stratified fold assignment.</summary>
internal static class Folds
{
    /// <summary>Fold number of each item, so that each label is spread evenly over the folds.</summary>
    public static int[] Stratified(IReadOnlyList<int> labels, int folds, int seed)
    {
        var result = new int[labels.Count];
        var random = new Random(seed);
        var order = Enumerable.Range(0, labels.Count).ToArray();
        random.Shuffle(order);
        var next = new Dictionary<int, int>();
        foreach (var i in order)
        {
            // A random starting fold per label, so rare labels do not all land in fold 0.
            if (!next.TryGetValue(labels[i], out var n))
            {
                n = random.Next(folds);
            }

            result[i] = n % folds;
            next[labels[i]] = n + 1;
        }

        return result;
    }
}
