using Heddle.Config.Model;

namespace Heddle.Config.Tests.Validation;

public class MeshConfigRuleTests
{
    private const string RegistryOnly = """
        apiVersion: heddle.dev/v1alpha1
        kind: MeshConfig
        metadata: {name: mesh}
        spec:
          outboundTrafficPolicy:
            mode: REGISTRY_ONLY
        """;

    [Fact]
    public void Load_MeshConfig_OutboundTrafficPolicyApplies()
    {
        var result = Yaml.Load(RegistryOnly);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal(OutboundTrafficPolicyMode.RegistryOnly, result.Config.OutboundTrafficPolicy);
    }

    [Fact]
    public void Load_NoMeshConfig_AllowAny()
    {
        Assert.Equal(OutboundTrafficPolicyMode.AllowAny, ConfigSet.Empty.OutboundTrafficPolicy);
    }

    [Fact]
    public void Load_SecondMeshConfig_IsReported()
    {
        var result = Yaml.Load(RegistryOnly + "\n---\n" + RegistryOnly.Replace("name: mesh", "name: other", StringComparison.Ordinal).Replace("REGISTRY_ONLY", "ALLOW_ANY", StringComparison.Ordinal));

        DiagnosticAssert.Contains("test.yaml:10 metadata.name: the mesh has one MeshConfig; MeshConfig default/mesh at test.yaml:1 already configures it", result.Diagnostics);
        Assert.Equal(OutboundTrafficPolicyMode.RegistryOnly, result.Config.OutboundTrafficPolicy);
    }

    [Fact]
    public void Load_UnknownMode_IsReportedWithTheAllowedValues()
    {
        var result = Yaml.Load(RegistryOnly.Replace("REGISTRY_ONLY", "DENY", StringComparison.Ordinal));

        Assert.Contains(result.Diagnostics, d => d.Path == "spec.outboundTrafficPolicy.mode" && d.Message.Contains("REGISTRY_ONLY", StringComparison.Ordinal));
    }
}
