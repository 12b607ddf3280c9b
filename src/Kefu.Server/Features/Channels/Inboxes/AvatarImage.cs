using System.Buffers.Binary;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>An accepted avatar: its media type, the file extension it is served with, and its size in pixels.</summary>
internal sealed record AvatarImage(string ContentType, string Extension, int Width, int Height)
{
    /// <summary>The largest file accepted.</summary>
    public const int MaxBytes = 512 * 1024;

    /// <summary>The smallest side, in pixels: anything smaller is a blur in the widget's header.</summary>
    public const int MinSide = 32;

    /// <summary>The largest side, in pixels: more is wasted on a 32-pixel circle and costs every visitor bandwidth.</summary>
    public const int MaxSide = 1024;

    /// <summary>The media type for each extension this server writes (the served file's name ends with one of them).</summary>
    public static string? ContentTypeOf(string extension) => extension switch
    {
        "png" => "image/png",
        "jpg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => null,
    };

    /// <summary>
    /// Decides what the bytes are from their magic numbers and reads the width and height from the format's own
    /// header. The file name and the declared content type are never asked: a PNG called <c>.gif</c> is a PNG, and
    /// an HTML page declared <c>image/png</c> is refused. SVG is refused on purpose: it is XML that can carry script.
    /// Null when the bytes are none of PNG, JPEG, WebP or GIF, or their header is cut short or inconsistent.
    /// </summary>
    /// <remarks>
    /// Only headers are read, with no imaging package: ImageSharp and SkiaSharp would add megabytes (and native
    /// code) to learn two numbers, and decoding the pixels is the browser's job, in its sandbox.
    /// </remarks>
    public static AvatarImage? Inspect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            // The first chunk must be IHDR: 4-byte length, type, then width and height as big-endian 32-bit numbers.
            return bytes.Length >= 24 && bytes[12..16].SequenceEqual("IHDR"u8)
                ? Sized("image/png", "png", BinaryPrimitives.ReadInt32BigEndian(bytes[16..]), BinaryPrimitives.ReadInt32BigEndian(bytes[20..]))
                : null;
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            // The logical screen: little-endian 16-bit width and height.
            return bytes.Length >= 10
                ? Sized("image/gif", "gif", BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]))
                : null;
        }

        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP(bytes);
        }

        return bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? Jpeg(bytes) : null;
    }

    private static AvatarImage? Sized(string type, string extension, int width, int height) =>
        width > 0 && height > 0 ? new AvatarImage(type, extension, width, height) : null;

    /// <summary>The first chunk says which WebP it is: lossy (VP8), lossless (VP8L) or extended (VP8X, with a canvas size).</summary>
    private static AvatarImage? WebP(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 30)
        {
            return null;
        }

        var chunk = bytes[12..16];
        var data = bytes[20..];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // A 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height (the top two bits are scaling).
            return data[3] == 0x9D && data[4] == 0x01 && data[5] == 0x2A
                ? Sized("image/webp", "webp", BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF)
                : null;
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            // The signature 0x2F, then width - 1 and height - 1 in 14 bits each, least significant bit first.
            if (data[0] != 0x2F)
            {
                return null;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
            return Sized("image/webp", "webp", (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Flags (4 bytes), then canvas width - 1 and height - 1 in 24 bits each, little-endian.
            return Sized("image/webp", "webp", (data[4] | (data[5] << 8) | (data[6] << 16)) + 1, (data[7] | (data[8] << 8) | (data[9] << 16)) + 1);
        }

        return null;
    }

    /// <summary>
    /// Walks the JPEG's segments to the first start-of-frame, which holds the height and width. Markers without a
    /// length (restart markers, TEM) are stepped over; a segment that runs past the end stops the walk.
    /// </summary>
    private static AvatarImage? Jpeg(ReadOnlySpan<byte> bytes)
    {
        var at = 2;
        while (at + 4 <= bytes.Length)
        {
            if (bytes[at] != 0xFF)
            {
                return null;
            }

            var marker = bytes[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                at += 2;
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return null; // end of image or start of scan before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
            if (length < 2)
            {
                return null;
            }

            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): length, precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                return at + 9 <= bytes.Length
                    ? Sized("image/jpeg", "jpg", BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 5)..]))
                    : null;
            }

            at += 2 + length;
        }

        return null;
    }
}
