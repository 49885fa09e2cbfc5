using System.Buffers;
using System.Text;
using Heddle.Proxy.Http1;

namespace Heddle.Proxy.Tests.Http1;

public sealed class RequestHeadParserTests
{
    private static HeadStatus Parse(string text, RequestHead head, out int length) =>
        RequestHeadParser.Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), head, out length);

    /// <summary>A sequence of one-byte segments: the worst split the pipe can hand over.</summary>
    private static ReadOnlySequence<byte> Split(byte[] bytes)
    {
        var first = new Chunk(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    [Fact]
    public void Parse_OriginForm_IndexesMethodPathQueryAndFields()
    {
        using var head = new RequestHead();

        var status = Parse("GET /items/7?x=1 HTTP/1.1\r\nHost: web:8000\r\nContent-Length: 3\r\nX-Custom:  a b \r\n\r\nabc", head, out var length);

        Assert.Equal(HeadStatus.Complete, status);
        Assert.Equal(length, Encoding.ASCII.GetByteCount("GET /items/7?x=1 HTTP/1.1\r\nHost: web:8000\r\nContent-Length: 3\r\nX-Custom:  a b \r\n\r\n"));
        Assert.Equal("GET", head.Method);
        Assert.Equal("/items/7", head.PathChars.ToString());
        Assert.Equal("?x=1", head.QueryChars.ToString());
        Assert.Equal("web:8000", head.Authority.ToString());
        Assert.Equal(3, head.ContentLength);
        Assert.Equal("a b", head.Value(head.Find("x-custom")).ToString());
        Assert.False(head.NeedsGeneralPath);
    }

    [Fact]
    public void Parse_AbsoluteForm_AuthorityOfTheTargetWins()
    {
        using var head = new RequestHead();

        Assert.Equal(HeadStatus.Complete, Parse("GET http://web:8000/a HTTP/1.1\r\nHost: other\r\n\r\n", head, out _));

        Assert.True(head.AbsoluteForm);
        Assert.Equal("web:8000", head.Authority.ToString());
        Assert.Equal("/a", head.PathChars.ToString());
        Assert.Equal("", head.QueryChars.ToString());
    }

    [Fact]
    public void Parse_SplitIntoOneByteSegments_SameResult()
    {
        using var head = new RequestHead();
        var bytes = Encoding.ASCII.GetBytes("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi");

        var status = RequestHeadParser.Parse(Split(bytes), head, out var length);

        Assert.Equal(HeadStatus.Complete, status);
        Assert.Equal(bytes.Length - 2, length);
        Assert.Equal("POST", head.Method);
        Assert.Equal("h", head.Authority.ToString());
    }

    [Fact]
    public void Parse_HeadNotComplete_AsksForMore()
    {
        using var head = new RequestHead();

        Assert.Equal(HeadStatus.Incomplete, Parse("GET / HTTP/1.1\r\nHost: h\r\n", head, out _));
    }

    [Fact]
    public void Parse_PipelinedRequests_EachHeadInTurn()
    {
        using var head = new RequestHead();
        var bytes = Encoding.ASCII.GetBytes("GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\n");
        var sequence = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(HeadStatus.Complete, RequestHeadParser.Parse(sequence, head, out var first));
        Assert.Equal("/one", head.PathChars.ToString());
        Assert.Equal(HeadStatus.Complete, RequestHeadParser.Parse(sequence.Slice(first), head, out var second));
        Assert.Equal("/two", head.PathChars.ToString());
        Assert.Equal(bytes.Length, first + second);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n b\r\n\r\n")]          // obs-fold
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Bad : a\r\n\r\n")]                  // whitespace before the colon
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Nul: a\0b\r\n\r\n")]                // control character
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Lf: a\nb: c\r\n\r\n")]              // bare LF
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nBad\"Name: a\r\n\r\n")]              // not a token
    [InlineData("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n")]                            // space in the target
    [InlineData("GET / HTTP/2.0\r\nHost: h\r\n\r\n")]                               // version
    [InlineData("G(T / HTTP/1.1\r\nHost: h\r\n\r\n")]                               // method not a token
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")]
    public void Parse_Malformed_IsBadRequest(string text)
    {
        using var head = new RequestHead();

        Assert.Equal(HeadStatus.BadRequest, Parse(text, head, out _));
    }

    [Fact]
    public void Parse_HeadOverTheLimit_IsTooLarge()
    {
        using var head = new RequestHead();
        var big = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', RequestHead.MaxHeadSize) + "\r\n\r\n";

        Assert.Equal(HeadStatus.TooLarge, Parse(big, head, out _));
        // Without its end yet, but already over the limit: no need to wait for more.
        Assert.Equal(HeadStatus.TooLarge, Parse(big[..(RequestHead.MaxHeadSize + 10)], head, out _));
    }

    [Fact]
    public void Parse_TooManyFields_IsTooLarge()
    {
        using var head = new RequestHead();
        var text = new StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (var i = 0; i < RequestHead.MaxHeaders; i++)
        {
            text.Append("X-F").Append(i).Append(": v\r\n");
        }

        Assert.Equal(HeadStatus.TooLarge, Parse(text.Append("\r\n").ToString(), head, out _));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/grpc+proto\r\n\r\n")]
    [InlineData("GET /a%2Fb HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET /a/../b HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]
    [InlineData("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET https://h/ HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")]
    public void Parse_WhatOnlyTheGeneralPathServes_IsMarkedNotRejected(string text)
    {
        using var head = new RequestHead();

        Assert.Equal(HeadStatus.Complete, Parse(text, head, out _));
        Assert.True(head.NeedsGeneralPath);
    }

    [Fact]
    public void Parse_ConnectionClose_AndChunkedBody_Recognised()
    {
        using var head = new RequestHead();

        Assert.Equal(HeadStatus.Complete, Parse("POST / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, close\r\nTransfer-Encoding: chunked\r\n\r\n", head, out _));

        Assert.True(head.ConnectionClose);
        Assert.True(head.Chunked);
        Assert.Equal(-1, head.ContentLength);
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Chunk Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Chunk(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
