using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Tests.TestSupport;
using Mode = Heddle.Discovery.V1.PeerAuthenticationMode;

namespace Heddle.ControlPlane.Tests.Snapshots;

public sealed class PeerAuthenticationsTests
{
    private static readonly ImmutableSortedDictionary<string, string> HttpbinLabels =
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("app", "httpbin")]);

    private static ImmutableArray<PeerAuthentication> Policies(string yaml) => MeshConfig.Load(("pa.yaml", yaml)).PeerAuthentications;

    private static string Policy(string ns, string mode, string? selector = null, string? portLevel = null) => $"""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: p-{ns}-{mode.ToLowerInvariant()}
          namespace: {ns}
        spec:
        {(selector is null ? "" : $"  selector:\n    matchLabels: {{app: {selector}}}\n")}  mtls:
            mode: {mode}
        {(portLevel is null ? "" : $"  portLevelMtls:\n    {portLevel}\n")}
        """;

    [Fact]
    public void For_NoPolicy_IsPermissive()
    {
        var resolved = PeerAuthentications.For([], "foo", HttpbinLabels);

        Assert.Equal(Mode.PeerAuthenticationPermissive, resolved.WorkloadMode);
        Assert.Equal(Mode.PeerAuthenticationPermissive, resolved.ForPort(8000));
    }

    [Fact]
    public void For_MeshStrictAndNamespaceUnset_InheritsStrictFromTheRootNamespace()
    {
        var policies = Policies(Policy("istio-system", "STRICT") + "---\n" + Policy("foo", "UNSET"));

        Assert.Equal(Mode.PeerAuthenticationStrict, PeerAuthentications.For(policies, "foo", HttpbinLabels).WorkloadMode);
        Assert.Equal(Mode.PeerAuthenticationStrict, PeerAuthentications.For(policies, "bar", HttpbinLabels).WorkloadMode);
    }

    [Fact]
    public void For_NamespacePolicy_OverridesTheMeshOnlyInItsNamespace()
    {
        var policies = Policies(Policy("istio-system", "STRICT") + "---\n" + Policy("legacy", "PERMISSIVE"));

        Assert.Equal(Mode.PeerAuthenticationPermissive, PeerAuthentications.For(policies, "legacy", HttpbinLabels).WorkloadMode);
        Assert.Equal(Mode.PeerAuthenticationStrict, PeerAuthentications.For(policies, "foo", HttpbinLabels).WorkloadMode);
    }

    [Fact]
    public void For_WorkloadSelector_OverridesTheNamespaceForMatchingWorkloadsOnly()
    {
        var policies = Policies(Policy("foo", "STRICT") + "---\n" + Policy("foo", "DISABLE", selector: "httpbin"));

        Assert.Equal(Mode.PeerAuthenticationDisable, PeerAuthentications.For(policies, "foo", HttpbinLabels).WorkloadMode);
        Assert.Equal(Mode.PeerAuthenticationStrict, PeerAuthentications.For(policies, "foo", ImmutableSortedDictionary<string, string>.Empty).WorkloadMode);
    }

    [Fact]
    public void For_SelectorInAnotherNamespace_DoesNotApply()
    {
        var policies = Policies(Policy("bar", "DISABLE", selector: "httpbin"));

        Assert.Equal(Mode.PeerAuthenticationPermissive, PeerAuthentications.For(policies, "foo", HttpbinLabels).WorkloadMode);
    }

    [Fact]
    public void ForPort_PortLevelMtls_OverridesTheWorkloadModeOnThatPortOnly()
    {
        var policies = Policies(Policy("foo", "STRICT", selector: "httpbin", portLevel: "\"8080\": {mode: DISABLE}"));
        var resolved = PeerAuthentications.For(policies, "foo", HttpbinLabels);

        Assert.Equal(Mode.PeerAuthenticationDisable, resolved.ForPort(8080));
        Assert.Equal(Mode.PeerAuthenticationStrict, resolved.ForPort(8000));
    }
}
