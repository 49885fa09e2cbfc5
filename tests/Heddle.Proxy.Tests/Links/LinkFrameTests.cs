using System.Buffers;
using Heddle.Proxy.Links;

namespace Heddle.Proxy.Tests.Links;

public sealed class LinkFrameTests
{
    [Fact]
    public void Frame_ReadBack_GivesTypeStreamAndPayload_AndLeavesTheRest()
    {
        var bytes = new byte[LinkFrame.HeaderSize + 3 + 2];
        LinkFrame.WriteHeader(bytes, LinkFrameType.Data, 7, 3);
        "abc"u8.CopyTo(bytes.AsSpan(LinkFrame.HeaderSize));
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(LinkFrame.TryRead(ref buffer, out var type, out var stream, out var payload));

        Assert.Equal(LinkFrameType.Data, type);
        Assert.Equal(7u, stream);
        Assert.Equal("abc"u8.ToArray(), payload.ToArray());
        Assert.Equal(2, buffer.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(LinkFrame.HeaderSize - 1)]
    [InlineData(LinkFrame.HeaderSize + 2)]
    public void Frame_NotAllThere_IsNotRead(int available)
    {
        var bytes = new byte[LinkFrame.HeaderSize + 3];
        LinkFrame.WriteHeader(bytes, LinkFrameType.Data, 1, 3);
        var buffer = new ReadOnlySequence<byte>(bytes, 0, available);

        Assert.False(LinkFrame.TryRead(ref buffer, out _, out _, out _));
        Assert.Equal(available, buffer.Length);
    }

    [Fact]
    public void Frame_LargerThanAllowed_IsAProtocolError()
    {
        var bytes = new byte[LinkFrame.HeaderSize];
        LinkFrame.WriteHeader(bytes, LinkFrameType.Data, 1, LinkFrame.MaxPayload + 1);

        Assert.Throws<InvalidDataException>(() =>
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            LinkFrame.TryRead(ref buffer, out _, out _, out _);
        });
    }

    [Fact]
    public void Frame_OfUnknownType_IsAProtocolError()
    {
        var bytes = new byte[LinkFrame.HeaderSize];
        LinkFrame.WriteHeader(bytes, (LinkFrameType)9, 1, 0);

        Assert.Throws<InvalidDataException>(() =>
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            LinkFrame.TryRead(ref buffer, out _, out _, out _);
        });
    }
}
