using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// WeChat's callback signatures and its "safe mode" message encryption, as the platform documents them: the
/// signature is the lowercase hex SHA-1 of the parts sorted ordinally and concatenated; the encrypted body is
/// AES-256-CBC with the key decoded from the 43-character EncodingAESKey and its first 16 bytes as the IV, over
/// <c>random(16) | length(4, big-endian) | message | appid</c>, padded PKCS#7 to a multiple of 32 bytes.
/// </summary>
internal static class WeChatCrypto
{
    /// <summary>The length of an EncodingAESKey: base64 of 32 bytes without its trailing <c>=</c>.</summary>
    public const int AesKeyLength = 43;

    private const int Block = 32;

    /// <summary>The signature over the given parts (token, timestamp, nonce and, for <c>msg_signature</c>, the ciphertext).</summary>
    public static string Signature(params string[] parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
    }

    /// <summary>Compares a received signature in constant time, so a forger learns nothing from the answer's timing.</summary>
    public static bool Matches(string? received, params string[] parts) =>
        received is { Length: 40 } &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(received.ToLowerInvariant()), Encoding.ASCII.GetBytes(Signature(parts)));

    /// <summary>True when <paramref name="encodingAesKey"/> decodes to a 32-byte AES key.</summary>
    public static bool IsValidKey(string? encodingAesKey) => Key(encodingAesKey) is not null;

    /// <summary>The message inside <paramref name="encrypted"/>, or null when it does not decrypt, is malformed, or belongs to another app.</summary>
    public static string? Decrypt(string encodingAesKey, string encrypted, string expectedAppId)
    {
        if (Key(encodingAesKey) is not { } key)
        {
            return null;
        }

        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(encrypted);
        }
        catch (FormatException)
        {
            return null;
        }

        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            return null;
        }

        using var aes = Aes.Create();
        aes.Key = key;
        byte[] plain;
        try
        {
            plain = aes.DecryptCbc(cipher, key.AsSpan(0, 16), PaddingMode.None);
        }
        catch (CryptographicException)
        {
            return null;
        }

        // WeChat pads to 32-byte blocks, which the framework's PKCS#7 (16-byte blocks for AES) refuses: unpad by hand.
        var pad = plain[^1];
        if (pad is < 1 or > Block || pad > plain.Length || plain.AsSpan(plain.Length - pad).ContainsAnyExcept(pad))
        {
            return null;
        }

        var body = plain.AsSpan(0, plain.Length - pad);
        if (body.Length < 20)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(16, 4));
        if (length > body.Length - 20)
        {
            return null;
        }

        var appId = Encoding.UTF8.GetString(body[(20 + (int)length)..]);
        return string.Equals(appId, expectedAppId, StringComparison.Ordinal) ? Encoding.UTF8.GetString(body.Slice(20, (int)length)) : null;
    }

    /// <summary>The base64 ciphertext of <paramref name="message"/> for <paramref name="appId"/>; <paramref name="random"/> is 16 bytes (tests fix it).</summary>
    public static string Encrypt(string encodingAesKey, string message, string appId, ReadOnlySpan<byte> random)
    {
        var key = Key(encodingAesKey) ?? throw new ArgumentException("Not an EncodingAESKey.", nameof(encodingAesKey));
        var text = Encoding.UTF8.GetBytes(message);
        var app = Encoding.UTF8.GetBytes(appId);
        var length = 20 + text.Length + app.Length;
        var pad = Block - length % Block;
        var plain = new byte[length + pad];
        random[..16].CopyTo(plain);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16, 4), (uint)text.Length);
        text.CopyTo(plain, 20);
        app.CopyTo(plain, 20 + text.Length);
        plain.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }

    private static byte[]? Key(string? encodingAesKey)
    {
        if (encodingAesKey is not { Length: AesKeyLength } || !encodingAesKey.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(encodingAesKey + "=") is { Length: 32 } key ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
