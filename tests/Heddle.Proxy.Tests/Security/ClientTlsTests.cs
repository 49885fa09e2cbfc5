using Heddle.Discovery.V1;
using Heddle.Proxy.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heddle.Proxy.Tests.Security;

public sealed class ClientTlsTests
{
    private static ClientTls Mesh(params string[] identities)
    {
        var settings = new TlsSettings { Mode = TlsSettings.Types.Mode.IstioMutual };
        settings.SubjectAltNames.Add(identities);
        return new ClientTls(settings, NullLogger.Instance);
    }

    [Fact]
    public void SameRequirements_SameSettingsFromANewSnapshot_KeepsPooledConnections() =>
        Assert.True(ClientTls.SameRequirements(Mesh("spiffe://cluster.local/ns/default/sa/a"), Mesh("spiffe://cluster.local/ns/default/sa/a")));

    [Fact]
    public void SameRequirements_OtherAcceptedIdentities_DoNotShareConnections() =>
        Assert.False(ClientTls.SameRequirements(Mesh("spiffe://cluster.local/ns/default/sa/a"), Mesh("spiffe://cluster.local/ns/default/sa/b")));

    [Fact]
    public void SameRequirements_AnIdentityMergedFromAnotherCluster_CountsToo()
    {
        var merged = Mesh("spiffe://cluster.local/ns/default/sa/a");
        var other = new TlsSettings { Mode = TlsSettings.Types.Mode.IstioMutual };
        other.SubjectAltNames.Add("spiffe://cluster.local/ns/default/sa/b");
        merged.Merge(other);

        Assert.False(ClientTls.SameRequirements(Mesh("spiffe://cluster.local/ns/default/sa/a"), merged));
    }

    [Fact]
    public void SameRequirements_PlaintextAndTls_Differ()
    {
        Assert.False(ClientTls.SameRequirements(null, Mesh()));
        Assert.False(ClientTls.SameRequirements(Mesh(), null));
        Assert.True(ClientTls.SameRequirements(null, null));
    }

    [Fact]
    public void SameRequirements_OtherMode_Differs() =>
        Assert.False(ClientTls.SameRequirements(Mesh(), new ClientTls(new TlsSettings { Mode = TlsSettings.Types.Mode.Simple }, NullLogger.Instance)));
}
