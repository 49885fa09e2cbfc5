using Heddle.Proxy.Security;

namespace Heddle.Proxy.Tests.Security;

public sealed class PeerIdentityTests
{
    [Fact]
    public void Parse_SpiffeId_GivesPrincipalNamespaceAndServiceAccount()
    {
        var identity = PeerIdentity.Parse("spiffe://cluster.local/ns/foo/sa/sleep")!;

        Assert.Equal("cluster.local/ns/foo/sa/sleep", identity.Principal);
        Assert.Equal("cluster.local", identity.TrustDomain);
        Assert.Equal("foo", identity.Namespace);
        Assert.Equal("sleep", identity.ServiceAccount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://cluster.local/ns/foo/sa/sleep")]
    [InlineData("spiffe://cluster.local/ns/foo")]
    [InlineData("spiffe://cluster.local/ns//sa/sleep")]
    [InlineData("spiffe://cluster.local/sa/sleep/ns/foo")]
    public void Parse_NotAWorkloadId_IsNull(string? id)
    {
        Assert.Null(PeerIdentity.Parse(id));
    }
}
