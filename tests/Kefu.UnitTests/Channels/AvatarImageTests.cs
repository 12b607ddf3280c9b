using Kefu.Server.Features.Channels.Inboxes;

namespace Kefu.UnitTests.Channels;

/// <summary>The avatar's header reader: the formats the integration tests' images do not reach, and cut or hostile input.</summary>
public sealed class AvatarImageTests
{
    /// <summary>Lossy WebP: RIFF, VP8 chunk, frame tag, start code, then 14-bit sizes whose top two bits are scaling.</summary>
    private static readonly byte[] WebPLossy =
    [
        .. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8 "u8, 0, 0, 0, 0,
        0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 200, 0x40 /* scale bits set */, 100, 0x00, 0, 0,
    ];

    /// <summary>Extended WebP: VP8X with a 24-bit canvas of 300 × 150 (stored minus one).</summary>
    private static readonly byte[] WebPExtended =
    [
        .. "RIFF"u8, 0, 0, 0, 0, .. "WEBPVP8X"u8, 10, 0, 0, 0,
        0x10, 0, 0, 0, 43, 1, 0, 149, 0, 0,
    ];

    /// <summary>A progressive JPEG (SOF2) after an APP0 segment and a fill byte.</summary>
    private static readonly byte[] JpegProgressive =
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0, 6, .. "JFIF"u8, 0xFF, 0xFF, 0xC2, 0, 11, 8, 0x01, 0x2C /* 300 high */, 0x00, 0x50 /* 80 wide */, 1, 1, 0x11, 0,
    ];

    [Fact]
    public void LossyWebP_ReadsFourteenBitSizes_IgnoringTheScaleBits() =>
        Assert.Equal(new AvatarImage("image/webp", "webp", 200, 100), AvatarImage.Inspect(WebPLossy));

    [Fact]
    public void ExtendedWebP_ReadsTheCanvas() =>
        Assert.Equal(new AvatarImage("image/webp", "webp", 300, 150), AvatarImage.Inspect(WebPExtended));

    [Fact]
    public void Jpeg_WalksToTheFrameHeader_PastOtherSegmentsAndFillBytes() =>
        Assert.Equal(new AvatarImage("image/jpeg", "jpg", 80, 300), AvatarImage.Inspect(JpegProgressive));

    [Fact]
    public void AJpegWhoseScanComesBeforeAnyFrame_IsNotAnImage() =>
        Assert.Null(AvatarImage.Inspect([0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0, 0]));

    [Theory]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("<?xml version=\"1.0\"?><svg/>")]
    [InlineData("<!doctype html><title>x</title>")]
    [InlineData("GIF8")]
    [InlineData("RIFF\0\0\0\0WAVEfmt ")]
    public void Text_AndLookAlikes_AreNotImages(string text) =>
        Assert.Null(AvatarImage.Inspect(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void EveryCutOfAValidHeader_ShorterThanItsSizeFields_IsRefused_AndNoneThrows()
    {
        // Each sample with the length at which its width and height are complete.
        foreach (var (whole, sized) in new[] { (WebPLossy, 30), (WebPExtended, 30), (JpegProgressive, 20) })
        {
            for (var length = 0; length <= whole.Length; length++)
            {
                var image = AvatarImage.Inspect(whole.AsSpan(0, length));
                Assert.True(length >= sized ? image is not null : image is null, $"a cut of {length} of {whole.Length} bytes was read as {image}");
            }
        }
    }
}
