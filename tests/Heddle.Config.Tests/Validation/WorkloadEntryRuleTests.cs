namespace Heddle.Config.Tests.Validation;

public class WorkloadEntryRuleTests
{
    [Fact]
    public void Load_VmWorkloadEntry_Loads()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1beta1
            kind: WorkloadEntry
            metadata: {name: details-vm-1, namespace: bookinfo}
            spec:
              address: 10.1.2.3
              labels: {app: details, version: v2}
              serviceAccount: bookinfo-details
              ports: {http: 9080}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal("bookinfo-details", result.Config.WorkloadEntries[0].Spec.ServiceAccount);
    }

    [Fact]
    public void Load_WorkloadEntryWithoutAddress_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: details-vm-1}
            spec:
              labels: {app: details}
            """);

        DiagnosticAssert.Contains("test.yaml:4 spec.address: required field is missing", result.Diagnostics);
    }
}
