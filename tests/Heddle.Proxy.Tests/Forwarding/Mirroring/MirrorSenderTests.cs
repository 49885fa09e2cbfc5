using Heddle.Proxy.Forwarding.Mirroring;

namespace Heddle.Proxy.Tests.Forwarding.Mirroring;

public sealed class MirrorSenderTests
{
    [Theory]
    [InlineData("httpbin", "httpbin-shadow")]
    [InlineData("httpbin:8000", "httpbin-shadow:8000")]
    [InlineData("[::1]:8000", "[::1]-shadow:8000")]
    [InlineData("[::1]", "[::1]-shadow")]
    public void ShadowAuthority_SuffixesTheHostBeforeThePort(string authority, string expected) =>
        Assert.Equal(expected, MirrorSender.ShadowAuthority(authority));
}
