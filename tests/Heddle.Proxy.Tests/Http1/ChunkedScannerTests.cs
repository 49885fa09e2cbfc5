using System.Text;
using Heddle.Proxy.Http1;

namespace Heddle.Proxy.Tests.Http1;

public sealed class ChunkedScannerTests
{
    private const string Message = "5\r\nhello\r\n1A;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nx-trailer: t\r\n\r\n";

    [Fact]
    public void Advance_WholeMessage_EndsExactlyAtTheEmptyLine()
    {
        var scanner = new ChunkedScanner();
        var bytes = Encoding.ASCII.GetBytes(Message + "GET /next");

        var taken = scanner.Advance(bytes);

        Assert.True(scanner.IsDone);
        Assert.Equal(Message.Length, taken);
    }

    [Fact]
    public void Advance_OneByteAtATime_SameEnd()
    {
        var scanner = new ChunkedScanner();
        var bytes = Encoding.ASCII.GetBytes(Message);
        var total = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(scanner.IsDone);
            total += scanner.Advance(bytes.AsSpan(i, 1));
        }

        Assert.True(scanner.IsDone);
        Assert.Equal(bytes.Length, total);
    }

    [Theory]
    [InlineData("x\r\n")]
    [InlineData("5\r\nhelloXY")]
    [InlineData("5\nhello\r\n")]
    [InlineData("\r\n")]
    [InlineData("0\r\n\n")]
    public void Advance_BrokenFraming_IsMinusOne(string text)
    {
        var scanner = new ChunkedScanner();

        Assert.Equal(-1, scanner.Advance(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Advance_LastChunkWithoutTrailers_Done()
    {
        var scanner = new ChunkedScanner();

        Assert.Equal(5, scanner.Advance("0\r\n\r\n"u8));
        Assert.True(scanner.IsDone);
    }
}
