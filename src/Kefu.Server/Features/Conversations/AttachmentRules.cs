using System.Text;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// Which files may be uploaded. The type is decided from the bytes, never from what the client
/// claims, and only types that cannot run script when opened are accepted (no HTML, no SVG).
/// </summary>
internal static class AttachmentRules
{
    private static readonly Dictionary<string, string[]> ExtensionsByType = new()
    {
        ["image/png"] = [".png"],
        ["image/jpeg"] = [".jpg", ".jpeg"],
        ["image/gif"] = [".gif"],
        ["image/webp"] = [".webp"],
        ["application/pdf"] = [".pdf"],
        ["application/zip"] = [".zip", ".docx", ".xlsx", ".pptx"],
        ["text/plain"] = [".txt", ".csv", ".log", ".md"],
        ["audio/webm"] = [".webm", ".weba"],
        ["audio/ogg"] = [".ogg", ".oga", ".opus"],
    };

    /// <summary>Extensions a voice message may have: a file named so that is not audio by its bytes is refused as not audio.</summary>
    private static readonly string[] AudioExtensions = [".webm", ".weba", ".ogg", ".oga", ".opus"];

    public static bool IsAudio(string contentType) => contentType.StartsWith("audio/", StringComparison.Ordinal);

    /// <summary>Whether the name claims an audio file (a voice message), whatever its bytes are.</summary>
    public static bool ClaimsAudio(string fileName) => AudioExtensions.Contains(Path.GetExtension(fileName).ToLowerInvariant());

    public static bool IsInlineImage(string contentType) => contentType.StartsWith("image/", StringComparison.Ordinal);

    /// <summary>The media type of a file from its first bytes and its name, or null when not allowed.</summary>
    public static string? Detect(ReadOnlySpan<byte> head, string fileName)
    {
        var type = Sniff(head);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return type is not null && ExtensionsByType[type].Contains(extension) ? type : null;
    }

    /// <summary>A safe display name: no path, no control or bidi characters (<see cref="SafeText"/>), at most 100 characters.</summary>
    public static string SafeFileName(string? name)
    {
        var file = Path.GetFileName(SafeText.SingleLine(name).Replace('\\', '/'));
        var cleaned = new string(file.Where(c => c is not ('/' or '"' or '<' or '>')).ToArray()).Trim();
        if (cleaned.Length > 100)
        {
            cleaned = cleaned[..(100 - Path.GetExtension(cleaned).Length)] + Path.GetExtension(cleaned);
        }

        return cleaned.Length == 0 ? "file" : cleaned;
    }

    /// <summary>
    /// A Content-Disposition value that no file name can break: a plain-ASCII <c>filename</c> for old clients
    /// and the exact (cleaned) name percent-encoded in <c>filename*</c> (RFC 6266 / RFC 8187).
    /// </summary>
    public static string ContentDisposition(string contentType, string fileName)
    {
        var name = SafeFileName(fileName);
        var ascii = new string(name.Select(c => c is >= ' ' and <= '~' and not ('"' or '\\' or '%' or ';') ? c : '_').ToArray());
        return $"{(IsInlineImage(contentType) ? "inline" : "attachment")}; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(name)}";
    }

    private static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }

        if (SniffAudio(head) is { } audio)
        {
            return audio;
        }

        if (head.StartsWith("PK\x03\x04"u8))
        {
            return "application/zip";
        }

        return IsPlainText(head) ? "text/plain" : null;
    }

    /// <summary>
    /// Voice messages (ADR 0039): Opus (or Vorbis) in Ogg, or in a WebM that holds an audio track and no video track.
    /// Browsers' MediaRecorder writes the EBML header and the track entry within the first few hundred bytes.
    /// </summary>
    private static string? SniffAudio(ReadOnlySpan<byte> head)
    {
        // Ogg: the first page's first packet is the codec's identification header, right after the 28-byte page header.
        if (head.StartsWith("OggS"u8) && head.Length >= 36 && (head[28..].StartsWith("OpusHead"u8) || head[28..].StartsWith("\x01vorbis"u8)))
        {
            return "audio/ogg";
        }

        // WebM: an EBML header whose DocType is "webm", an audio codec id, and no video codec id in the head.
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]) && head.IndexOf("webm"u8) is >= 0 and < 64
            && (HasCodec(head, "A_OPUS"u8) || HasCodec(head, "A_VORBIS"u8)) && !HasCodec(head, "V_"u8))
        {
            return "audio/webm";
        }

        return null;
    }

    /// <summary>
    /// A Matroska CodecID element (id 0x86, a one-byte size) whose value starts with <paramref name="prefix"/>: the
    /// element's own bytes, so audio data that happens to hold "V_" is not mistaken for a video track.
    /// </summary>
    private static bool HasCodec(ReadOnlySpan<byte> head, ReadOnlySpan<byte> prefix)
    {
        for (var i = 2; i + prefix.Length <= head.Length; i++)
        {
            if (head[i - 2] == 0x86 && head[i - 1] is > 0x80 and < 0xA0 && head[i..].StartsWith(prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlainText(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0 || head.Contains((byte)0))
        {
            return false;
        }

        // The head may end inside a multi-byte character: allow an incomplete final sequence.
        var decoder = new UTF8Encoding(false, true).GetDecoder();
        try
        {
            Span<char> chars = new char[head.Length];
            decoder.Convert(head, chars, flush: false, out _, out _, out _);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
