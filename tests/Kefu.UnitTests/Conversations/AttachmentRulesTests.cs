using System.Text;
using Kefu.Server.Features.Conversations;

namespace Kefu.UnitTests.Conversations;

public sealed class AttachmentRulesTests
{
    private static readonly byte[] PngHead = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    [Theory]
    [InlineData("photo.png", "image/png")]
    [InlineData("PHOTO.PNG", "image/png")]
    [InlineData("photo.jpg", null)]
    public void Detect_Png_NeedsAMatchingExtension(string name, string? expected)
    {
        Assert.Equal(expected, AttachmentRules.Detect(PngHead, name));
    }

    [Theory]
    [InlineData("%PDF-1.7", "doc.pdf", "application/pdf")]
    [InlineData("PK\u0003\u0004", "report.docx", "application/zip")]
    [InlineData("GIF89a", "a.gif", "image/gif")]
    [InlineData("订单 123, ok", "notes.txt", "text/plain")]
    [InlineData("<html><script>alert(1)</script>", "page.html", null)]
    [InlineData("<svg onload=alert(1)>", "x.svg", null)]
    [InlineData("<script>alert(1)</script>", "x.png", null)]
    [InlineData("%PDF-1.7", "doc.exe", null)]
    public void Detect_DecidesFromBytesAndName_AndNeverAllowsScriptableTypes(string head, string name, string? expected)
    {
        Assert.Equal(expected, AttachmentRules.Detect(Encoding.UTF8.GetBytes(head), name));
    }

    [Fact]
    public void Detect_BinaryWithNulBytes_IsNotText()
    {
        Assert.Null(AttachmentRules.Detect([0x41, 0x00, 0x42], "data.txt"));
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\photo.png", "photo.png")]
    [InlineData("a\"b<c>.png", "abc.png")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    public void SafeFileName_DropsPathsAndUnsafeCharacters(string? input, string expected)
    {
        Assert.Equal(expected, AttachmentRules.SafeFileName(input));
    }

    [Fact]
    public void SafeFileName_KeepsTheExtension_WhenShortening()
    {
        var name = AttachmentRules.SafeFileName(new string('n', 300) + ".pdf");

        Assert.Equal(100, name.Length);
        Assert.EndsWith(".pdf", name);
    }
}
