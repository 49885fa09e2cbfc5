using Heddle.Proxy.Forwarding.Retries;

namespace Heddle.Proxy.Tests.Forwarding.Retries;

public sealed class RecordingBodyTests
{
    [Fact]
    public async Task Rewind_AfterPartialRead_ReplaysRecordThenContinuesWithTheRest()
    {
        var body = new RecordingBody(new MemoryStream("hello world"u8.ToArray()), limit: 64);
        var first = new byte[5];
        await body.ReadExactlyAsync(first);

        Assert.True(body.Rewind());
        var all = await new StreamReader(body).ReadToEndAsync();

        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(first));
        Assert.Equal("hello world", all);
    }

    [Fact]
    public async Task Rewind_AfterFullRead_ReplaysEverything()
    {
        var body = new RecordingBody(new MemoryStream(new byte[10_000]), limit: 64 * 1024);
        await body.CopyToAsync(Stream.Null);

        Assert.True(body.Rewind());
        var copy = new MemoryStream();
        await body.CopyToAsync(copy);

        Assert.Equal(10_000, copy.Length);
    }

    [Fact]
    public async Task Rewind_BeyondLimit_IsRefused()
    {
        var body = new RecordingBody(new MemoryStream(new byte[100]), limit: 64);
        await body.CopyToAsync(Stream.Null);

        Assert.True(body.Overflowed);
        Assert.False(body.Rewind());
    }
}
