using Kefu.Server.Features.Contacts;

namespace Kefu.UnitTests.Contacts;

/// <summary>A contact export cell: quoted, one line, and never a formula a spreadsheet would run.</summary>
public sealed class ContactCsvTests
{
    [Theory]
    [InlineData("Wang Fang", "\"Wang Fang\"")]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+86 138", "\"'+86 138\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tcmd", "\"'\tcmd\"")]
    [InlineData("line one\r\nline two\rthree\nfour", "\"line one line two three four\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Cell_IsQuotedFlatAndDefused(string? value, string expected) => Assert.Equal(expected, ExportContacts.Cell(value));
}
