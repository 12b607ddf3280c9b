using System.Buffers.Binary;
using System.Security.Cryptography;
using MimeKit;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// Reply tokens: <c>r</c> + base32 of (conversation id, expiry day, 80-bit HMAC-SHA256 over tenant, conversation and
/// expiry with the inbox's own key). Replies carry it twice: in the Reply-To address's plus part
/// (<c>support+r…@shop.example</c>) and in their Message-ID (<c>&lt;r….{message}@shop.example&gt;</c>), which the
/// customer's client copies into In-Reply-To and References even when it answers to From. A header alone would not
/// do: mail clients do not copy custom headers into a reply.
/// </summary>
internal static class EmailThreading
{
    public const int MaxIdLength = 300;
    public const int MaxReferences = 20;
    public const int MaxReferencesLength = 4000;
    public const int MaxSubjectLength = 300;
    private const int MacBytes = 10;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string Token(byte[] key, Guid tenantId, Guid conversationId, DateTime expires)
    {
        var day = (ushort)Math.Clamp((expires - Epoch).TotalDays, 0, ushort.MaxValue);
        var body = new byte[16 + 2 + MacBytes];
        conversationId.TryWriteBytes(body);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(16), day);
        Mac(key, tenantId, body.AsSpan(0, 18)).AsSpan(0, MacBytes).CopyTo(body.AsSpan(18));
        return "r" + Base32(body);
    }

    /// <summary>The conversation a token names, when its MAC is right for this tenant and it has not expired.</summary>
    public static Guid? Verify(byte[] key, Guid tenantId, string token, DateTime now)
    {
        if (token.Length != 46 || token[0] != 'r' || FromBase32(token.AsSpan(1)) is not { Length: 28 } body)
        {
            return null;
        }

        var expected = Mac(key, tenantId, body.AsSpan(0, 18)).AsSpan(0, MacBytes);
        if (!CryptographicOperations.FixedTimeEquals(expected, body.AsSpan(18)))
        {
            return null;
        }

        var expires = Epoch.AddDays(BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(16)));
        return expires < now ? null : new Guid(body.AsSpan(0, 16));
    }

    /// <summary>Every token-shaped piece of a mail's recipients' plus parts and its In-Reply-To/References ids.</summary>
    public static IEnumerable<string> Candidates(MimeMessage mail)
    {
        foreach (var address in mail.To.Mailboxes.Concat(mail.Cc.Mailboxes))
        {
            var local = address.LocalPart;
            var plus = local.IndexOf('+', StringComparison.Ordinal);
            if (plus >= 0)
            {
                yield return local[(plus + 1)..].ToLowerInvariant();
            }
        }

        foreach (var id in ThreadIds(mail))
        {
            var dot = id.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                yield return id[..dot].ToLowerInvariant();
            }
        }
    }

    /// <summary>In-Reply-To then References, newest first, without duplicates.</summary>
    public static IEnumerable<string> ThreadIds(MimeMessage mail)
    {
        IEnumerable<string> ids = mail.InReplyTo is { Length: > 0 } parent ? [parent] : [];
        return ids.Concat(mail.References.Reverse()).Where(id => id.Length <= MaxIdLength).Distinct(StringComparer.Ordinal).Take(MaxReferences);
    }

    /// <summary>A header value from customer data on one line: each run of CR, LF, other controls and spaces becomes one space.</summary>
    public static string OneLine(string? value, int max)
    {
        var line = new System.Text.StringBuilder();
        foreach (var c in value ?? "")
        {
            var space = char.IsControl(c) || char.IsWhiteSpace(c);
            if (!space || (line.Length > 0 && line[^1] != ' '))
            {
                line.Append(space ? ' ' : c);
            }
        }

        var text = line.ToString().Trim();
        return text.Length <= max ? text : text[..max];
    }

    private static byte[] Mac(byte[] key, Guid tenantId, ReadOnlySpan<byte> body)
    {
        Span<byte> input = stackalloc byte[16 + 18];
        tenantId.TryWriteBytes(input);
        body.CopyTo(input[16..]);
        return HMACSHA256.HashData(key, input);
    }

    private static string Base32(byte[] data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, i = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[i++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[i++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars, 0, i);
    }

    private static byte[]? FromBase32(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
