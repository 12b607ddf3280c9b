namespace Kefu.Server.Features.Quality;

/// <summary>
/// Aho–Corasick over a list of terms: built once per scorecard version (see <see cref="ScorecardCache"/>), then one pass
/// over a text finds whether any term occurs, whatever the number of terms. Case-insensitive (invariant lower case on both
/// sides); Chinese has no case. Transitions are one dictionary keyed by (state, character) instead of a table per state, so
/// a list of 20,000 terms costs a few megabytes, not one array per node.
/// </summary>
internal sealed class TermMatcher
{
    private readonly Dictionary<long, int> _next = [];
    private readonly List<int> _fail = [0];

    /// <summary>Per state: the index of a term that ends here or at a suffix state; -1 when none.</summary>
    private readonly List<int> _output = [-1];
    private readonly string[] _terms;

    public TermMatcher(IReadOnlyList<string> terms)
    {
        _terms = [.. terms.Select(t => t.ToLowerInvariant())];
        for (var i = 0; i < _terms.Length; i++)
        {
            Add(_terms[i], i);
        }

        Link();
    }

    public int Count => _terms.Length;

    /// <summary>The first term found in <paramref name="text"/> (by position of its end), or null.</summary>
    public string? FindFirst(string text)
    {
        var state = 0;
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            while (true)
            {
                if (_next.TryGetValue(Key(state, c), out var to))
                {
                    state = to;
                    break;
                }

                if (state == 0)
                {
                    break;
                }

                state = _fail[state];
            }

            if (_output[state] >= 0)
            {
                return _terms[_output[state]];
            }
        }

        return null;
    }

    private static long Key(int state, char c) => ((long)state << 16) | c;

    private void Add(string term, int index)
    {
        if (term.Length == 0)
        {
            return;
        }

        var state = 0;
        foreach (var c in term)
        {
            if (!_next.TryGetValue(Key(state, c), out var to))
            {
                to = _fail.Count;
                _fail.Add(0);
                _output.Add(-1);
                _next.Add(Key(state, c), to);
            }

            state = to;
        }

        if (_output[state] < 0)
        {
            _output[state] = index;
        }
    }

    /// <summary>Failure links breadth first; a state's output inherits its failure state's when it has none itself.</summary>
    private void Link()
    {
        var children = new List<(int Parent, char C, int Child)>[_fail.Count];
        foreach (var (key, child) in _next)
        {
            var parent = (int)(key >> 16);
            (children[parent] ??= []).Add((parent, (char)(key & 0xFFFF), child));
        }

        var queue = new Queue<int>();
        foreach (var (_, _, child) in children[0] ?? [])
        {
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            foreach (var (_, c, child) in children[state] ?? [])
            {
                var f = _fail[state];
                int to;
                while (!_next.TryGetValue(Key(f, c), out to) && f != 0)
                {
                    f = _fail[f];
                }

                _fail[child] = _next.TryGetValue(Key(f, c), out to) && to != child ? to : 0;
                if (_output[child] < 0)
                {
                    _output[child] = _output[_fail[child]];
                }

                queue.Enqueue(child);
            }
        }
    }
}
