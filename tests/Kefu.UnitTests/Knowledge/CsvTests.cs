using System.Text;
using Kefu.Nlu;

namespace Kefu.UnitTests.Knowledge;

public sealed class CsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil/\",\"x\")")]
    [InlineData("+1+2")]
    [InlineData("-5")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tcmd")]
    public void WriteRecord_FormulaCell_IsWrittenAsText_AndReadBackUnchanged(string cell)
    {
        var output = new StringBuilder();
        Csv.WriteRecord(output, [cell, "plain"]);

        var written = output.ToString();
        var read = Csv.Read(written)!.Select(r => Array.ConvertAll(r, Csv.Restore)).Single();

        Assert.DoesNotMatch("^\"?[=+\\-@\\t]", written);
        Assert.Equal([cell, "plain"], read);
    }

    [Fact]
    public void Restore_LeavesOrdinaryApostrophesAlone()
    {
        Assert.Equal("'quoted'", Csv.Restore("'quoted'"));
        Assert.Equal("it's", Csv.Restore("it's"));
    }
}
