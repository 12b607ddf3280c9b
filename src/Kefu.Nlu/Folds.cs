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

    /// <summary>
    /// For each of <paramref name="folds"/> folds, a set of intents (ids 0..<paramref name="intents"/>-1) to leave out
    /// of that fold's training: about <paramref name="share"/> of them, disjoint between folds while there are enough.
    /// Empty sets when the share is 0 or there are fewer than 5 intents.
    /// </summary>
    public static HashSet<int>[] IntentSlices(int intents, int folds, double share, int seed)
    {
        var result = Enumerable.Range(0, Math.Max(0, folds)).Select(_ => new HashSet<int>()).ToArray();
        if (share <= 0 || intents < 5 || folds <= 0)
        {
            return result;
        }

        var order = Enumerable.Range(0, intents).ToArray();
        new Random(seed + 1).Shuffle(order);
        var size = Math.Max(1, (int)Math.Round(share * intents));
        for (var f = 0; f < folds; f++)
        {
            for (var k = 0; k < size; k++)
            {
                result[f].Add(order[((f * size) + k) % intents]);
            }
        }

        return result;
    }
}
