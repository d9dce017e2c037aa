using Ispo.Training.Planning;

namespace Ispo.Training.Tests.Planning;

public class ByteSizeTests
{
    [Theory]
    [InlineData("80GiB", 80L << 30)]
    [InlineData("80 GiB", 80L << 30)]
    [InlineData("80G", 80L << 30)]
    [InlineData("80GB", 80_000_000_000L)]
    [InlineData("1.5TiB", 3L << 39)]
    [InlineData("512mib", 512L << 20)]
    [InlineData("1048576", 1048576)]
    [InlineData("64KB", 64_000)]
    public void ParsesSizesAsWritten(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("GiB")]
    [InlineData("80 parsecs")]
    [InlineData("-1GiB")]
    [InlineData("0")]
    [InlineData("1e30")]
    public void RefusesWhatIsNotASize(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Theory]
    [InlineData(17, "17 B")]
    [InlineData(1536, "1.50 KiB")]
    [InlineData(80L << 30, "80.0 GiB")]
    [InlineData(615L << 30, "615 GiB")]
    public void FormatsInBinaryUnits(long bytes, string text) => Assert.Equal(text, ByteSize.Format(bytes));
}
