using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Kefu.IntegrationTests.Channels;

/// <summary>
/// Small, complete images of one colour in each format an avatar may be, built byte by byte (no imaging package):
/// a browser decodes every one of them (the avatar browser test checks that it does).
/// </summary>
public static class TestImages
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>The four accepted formats by the extension the server serves them with.</summary>
    public static byte[] Make(string extension, int width, int height) => extension switch
    {
        "png" => Png(width, height),
        "jpg" => Jpeg(width, height),
        "webp" => WebP(width, height),
        "gif" => Gif(width, height),
        _ => throw new ArgumentOutOfRangeException(nameof(extension)),
    };

    /// <summary>8-bit RGB, filter 0 on every row, zlib-compressed; <paramref name="padding"/> bytes of a private chunk make it larger.</summary>
    public static byte[] Png(int width, int height, int padding = 0)
    {
        var raw = new byte[height * (1 + (width * 3))];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = i % (1 + (width * 3)) == 0 ? (byte)0 : (byte)0x40;
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 2;
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        if (padding > 0)
        {
            Chunk(png, "zzPd", new byte[padding]); // ancillary, private: decoders skip it
        }

        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Baseline greyscale JPEG: every 8×8 block is a DC difference of 0 and an end of block, one 1-bit code each.</summary>
    public static byte[] Jpeg(int width, int height)
    {
        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);
        Segment(jpeg, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]); // one quantisation table of ones
        Segment(jpeg, 0xC0, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        byte[] oneCode = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00];
        Segment(jpeg, 0xC4, [0x00, .. oneCode]); // DC table 0: category 0 only
        Segment(jpeg, 0xC4, [0x10, .. oneCode]); // AC table 0: end of block only
        Segment(jpeg, 0xDA, [1, 1, 0x00, 0, 63, 0]);
        var bits = 2 * ((width + 7) / 8) * ((height + 7) / 8);
        var data = new byte[(bits + 7) / 8];
        if (bits % 8 != 0)
        {
            data[^1] = (byte)(0xFF >> (bits % 8)); // the last byte is padded with ones
        }

        jpeg.Write(data);
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>Lossless WebP (VP8L): no transforms, and five one-symbol prefix codes, so the pixels themselves take no bits.</summary>
    public static byte[] WebP(int width, int height)
    {
        var bits = new BitWriter();
        bits.Write((uint)width - 1, 14);
        bits.Write((uint)height - 1, 14);
        bits.Write(0, 1); // alpha not used
        bits.Write(0, 3); // version
        bits.Write(0, 1); // no transform
        bits.Write(0, 1); // no colour cache
        bits.Write(0, 1); // no meta prefix codes
        foreach (var symbol in new uint[] { 0x80, 0x40, 0x20, 0xFF, 0 }) // green, red, blue, alpha, distance
        {
            bits.Write(1, 1); // simple code
            bits.Write(0, 1); // one symbol
            bits.Write(1, 1); // of 8 bits
            bits.Write(symbol, 8);
        }

        byte[] payload = [0x2F, .. bits.ToArray()];
        using var webp = new MemoryStream();
        var padded = payload.Length + (payload.Length % 2);
        webp.Write("RIFF"u8);
        WriteLe32(webp, 4 + 8 + padded);
        webp.Write("WEBPVP8L"u8);
        WriteLe32(webp, payload.Length);
        webp.Write(payload);
        if (payload.Length % 2 == 1)
        {
            webp.WriteByte(0);
        }

        return webp.ToArray();
    }

    /// <summary>GIF89a of colour 0, LZW with a clear code before every second pixel so the codes stay 3 bits wide.</summary>
    public static byte[] Gif(int width, int height)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        gif.Write([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x80, 0, 0]); // global table of 2 colours
        gif.Write([0x33, 0x99, 0xCC, 0xFF, 0xFF, 0xFF]);
        gif.Write([0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0]);
        gif.WriteByte(2); // minimum code size: clear = 4, end = 5
        var codes = new BitWriter();
        for (var i = 0; i < width * height; i++)
        {
            if (i % 2 == 0)
            {
                codes.Write(4, 3);
            }

            codes.Write(0, 3);
        }

        codes.Write(5, 3);
        var data = codes.ToArray();
        for (var at = 0; at < data.Length; at += 255)
        {
            var n = Math.Min(255, data.Length - at);
            gif.WriteByte((byte)n);
            gif.Write(data, at, n);
        }

        gif.Write([0, 0x3B]);
        return gif.ToArray();
    }

    private static void Segment(Stream jpeg, byte marker, byte[] data)
    {
        jpeg.Write([0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2)]);
        jpeg.Write(data);
    }

    private static void WriteLe32(Stream stream, int value)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(number, value);
        stream.Write(number);
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        var crc = 0xFFFFFFFFu;
        foreach (var b in typeAndData)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        BinaryPrimitives.WriteUInt32BigEndian(number, crc ^ 0xFFFFFFFFu);
        png.Write(number);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    /// <summary>Packs values least significant bit first, as both LZW in GIF and VP8L read them.</summary>
    private sealed class BitWriter
    {
        private readonly List<byte> _bytes = [];
        private int _used = 8;

        public void Write(uint value, int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (_used == 8)
                {
                    _bytes.Add(0);
                    _used = 0;
                }

                _bytes[^1] |= (byte)(((value >> i) & 1) << _used);
                _used++;
            }
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
