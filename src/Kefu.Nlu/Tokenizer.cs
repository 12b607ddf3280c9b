namespace Kefu.Nlu;

/// <summary>
/// Turns text into the sparse features the engine matches on, for Chinese without a word
/// segmenter and for space-separated languages alike:
/// <list type="bullet">
/// <item><c>w:</c> lightly stemmed words and <c>b:</c> word bigrams (Latin, Cyrillic, digits…);</item>
/// <item><c>c:</c> character 2–4-grams (by default) inside a word, with <c>&lt;</c> and <c>&gt;</c> marking its edges, so typos and inflections still match;</item>
/// <item><c>h:</c> character 1–3-grams over runs of Han, kana or Hangul, which stand in for words;</item>
/// <item><c>s:</c> optionally, the words of those runs found by <see cref="ChineseSegmenter"/> (two characters or more)
/// and pairs of neighbouring words, next to the character n-grams.</item>
/// </list>
/// Mixed text yields both kinds. The input is normalised with <see cref="TextNormalizer"/> first.
/// </summary>
public sealed class Tokenizer
{
    private const int MaxWordLength = 24;
    private readonly int _minCharGram;
    private readonly int _maxCharGram;
    private readonly int _chineseWordGrams;

    /// <summary>Creates a tokenizer emitting in-word character n-grams of the given lengths (no Chinese word features).</summary>
    /// <param name="minCharGram">Shortest in-word character n-gram (at least 1).</param>
    /// <param name="maxCharGram">Longest in-word character n-gram (at least <paramref name="minCharGram"/>); 0 turns them off.</param>
    public Tokenizer(int minCharGram = 2, int maxCharGram = 4)
        : this(minCharGram, maxCharGram, 0)
    {
    }

    /// <summary>Creates a tokenizer emitting in-word character n-grams and, for Chinese, segmented word features.</summary>
    /// <param name="minCharGram">Shortest in-word character n-gram (at least 1).</param>
    /// <param name="maxCharGram">Longest in-word character n-gram (at least <paramref name="minCharGram"/>); 0 turns them off.</param>
    /// <param name="chineseWordGrams">0: no <c>s:</c> features; 1: segmented words; 2: words and pairs of neighbouring words.</param>
    public Tokenizer(int minCharGram, int maxCharGram, int chineseWordGrams)
    {
        _minCharGram = Math.Max(1, minCharGram);
        _maxCharGram = Math.Min(MaxWordLength, maxCharGram);
        _chineseWordGrams = Math.Clamp(chineseWordGrams, 0, 2);
    }

    /// <summary>Character 2–4-grams, no Chinese word features (the intent model adds those: <see cref="IntentModelOptions.ChineseWordGrams"/>).</summary>
    public static Tokenizer Default { get; } = new();

    /// <summary>
    /// Search terms of <paramref name="text"/>: stemmed words, plus single characters and character
    /// bigrams of CJK runs. Used for BM25 retrieval and for grouping similar questions.
    /// </summary>
    /// <param name="text">Raw text; it is normalised here.</param>
    public IReadOnlyList<string> Words(string? text)
    {
        var sink = new StringSink(wordsOnly: true);
        Extract(TextNormalizer.Normalize(text), sink);
        return sink.Items;
    }

    /// <summary>All features the classifier sees for <paramref name="text"/>, prefixed by kind (<c>w:</c>, <c>b:</c>, <c>c:</c>, <c>h:</c>, <c>s:</c>).</summary>
    /// <param name="text">Raw text; it is normalised here.</param>
    public IReadOnlyList<string> Features(string? text)
    {
        var sink = new StringSink(wordsOnly: false);
        Extract(TextNormalizer.Normalize(text), sink);
        return sink.Items;
    }

    /// <summary>Emits every feature of already normalised text to <paramref name="sink"/>.</summary>
    internal void Extract(string normalized, IFeatureSink sink)
    {
        Span<char> buffer = stackalloc char[2 * MaxWordLength + 4];
        Span<char> previous = stackalloc char[MaxWordLength];
        var previousLength = 0;
        var i = 0;
        while (i < normalized.Length)
        {
            var c = normalized[i];
            if (c == ' ')
            {
                i++;
                continue;
            }

            var start = i;
            if (TextNormalizer.IsCjk(c))
            {
                while (i < normalized.Length && TextNormalizer.IsCjk(normalized[i]))
                {
                    i++;
                }

                EmitCjk(normalized.AsSpan(start, i - start), buffer, sink);
                if (_chineseWordGrams > 0 && !sink.WordsOnly)
                {
                    EmitChineseWords(normalized.AsSpan(start, i - start), buffer, sink);
                }

                previousLength = 0; // a CJK run breaks the chain of word bigrams
                continue;
            }

            while (i < normalized.Length && normalized[i] != ' ' && !TextNormalizer.IsCjk(normalized[i]))
            {
                i++;
            }

            var word = normalized.AsSpan(start, Math.Min(i - start, MaxWordLength));
            var stem = Stemmer.Stem(word);
            buffer[0] = 'w';
            buffer[1] = ':';
            stem.CopyTo(buffer[2..]);
            sink.Add(buffer[..(2 + stem.Length)], FeatureGroup.Word);
            if (previousLength > 0)
            {
                buffer[0] = 'b';
                previous[..previousLength].CopyTo(buffer[2..]);
                buffer[2 + previousLength] = ' ';
                stem.CopyTo(buffer[(3 + previousLength)..]);
                sink.Add(buffer[..(3 + previousLength + stem.Length)], FeatureGroup.Word);
            }

            stem.CopyTo(previous);
            previousLength = stem.Length;
            EmitCharGrams(word, buffer, sink);
        }
    }

    private void EmitCharGrams(ReadOnlySpan<char> word, Span<char> buffer, IFeatureSink sink)
    {
        if (_maxCharGram < _minCharGram || sink.WordsOnly)
        {
            return;
        }

        Span<char> padded = stackalloc char[MaxWordLength + 2];
        padded[0] = '<';
        word.CopyTo(padded[1..]);
        padded[word.Length + 1] = '>';
        var p = padded[..(word.Length + 2)];
        buffer[0] = 'c';
        buffer[1] = ':';
        for (var n = _minCharGram; n <= _maxCharGram && n <= p.Length; n++)
        {
            for (var s = 0; s + n <= p.Length; s++)
            {
                p.Slice(s, n).CopyTo(buffer[2..]);
                sink.Add(buffer[..(2 + n)], FeatureGroup.Char);
            }
        }
    }

    private static void EmitCjk(ReadOnlySpan<char> run, Span<char> buffer, IFeatureSink sink)
    {
        buffer[0] = 'h';
        buffer[1] = ':';
        var maxN = sink.WordsOnly ? 2 : 3;
        for (var n = 1; n <= maxN; n++)
        {
            for (var s = 0; s + n <= run.Length; s++)
            {
                run.Slice(s, n).CopyTo(buffer[2..]);
                sink.Add(buffer[..(2 + n)], FeatureGroup.Word);
            }
        }
    }

    private void EmitChineseWords(ReadOnlySpan<char> run, Span<char> buffer, IFeatureSink sink)
    {
        Span<int> ends = stackalloc int[64];
        buffer[0] = 's';
        buffer[1] = ':';
        for (var s = 0; s < run.Length; s += ends.Length)
        {
            var piece = run.Slice(s, Math.Min(ends.Length, run.Length - s));
            var count = ChineseSegmenter.Split(piece, ends);
            var previous = ReadOnlySpan<char>.Empty;
            var from = 0;
            for (var k = 0; k < count; k++)
            {
                var word = piece[from..ends[k]];
                from = ends[k];
                if (word.Length >= 2)
                {
                    word.CopyTo(buffer[2..]);
                    sink.Add(buffer[..(2 + word.Length)], FeatureGroup.Word);
                }

                // Pairs of neighbouring words (single characters included) carry the phrase: 退款 到账, 改 地址.
                if (_chineseWordGrams > 1 && !previous.IsEmpty)
                {
                    previous.CopyTo(buffer[2..]);
                    buffer[2 + previous.Length] = ' ';
                    word.CopyTo(buffer[(3 + previous.Length)..]);
                    sink.Add(buffer[..(3 + previous.Length + word.Length)], FeatureGroup.Word);
                }

                previous = word;
            }
        }
    }

    private sealed class StringSink(bool wordsOnly) : IFeatureSink
    {
        public List<string> Items { get; } = [];

        public bool WordsOnly => wordsOnly;

        public void Add(ReadOnlySpan<char> feature, FeatureGroup group) =>
            Items.Add(wordsOnly ? new string(feature[2..]) : new string(feature));
    }
}

/// <summary>Which block of the feature vector a feature belongs to (each block is normalised on its own).</summary>
internal enum FeatureGroup
{
    Word = 0,
    Char = 1,
}

/// <summary>Receives features from <see cref="Tokenizer.Extract"/> without allocating strings.</summary>
internal interface IFeatureSink
{
    /// <summary>When true, only word-level terms (no in-word character n-grams, CJK up to bigrams) are wanted.</summary>
    bool WordsOnly { get; }

    void Add(ReadOnlySpan<char> feature, FeatureGroup group);
}
