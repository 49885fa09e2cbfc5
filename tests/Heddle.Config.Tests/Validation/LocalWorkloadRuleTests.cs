using Heddle.Config.Model;

namespace Heddle.Config.Tests.Validation;

public class LocalWorkloadRuleTests
{
    [Fact]
    public void Load_IssueExampleWorkload_LoadsEveryField()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata:
              name: web-v1
              namespace: default
              labels: {app: web, version: v1}
            spec:
              serviceAccount: web
              replicas: 1
              command: ["python3", "-m", "http.server", "--bind", "$(POD_IP)", "8080"]
              workingDir: ./v1            # relative to the file
              env: [{name: GREETING, value: hello}]
              ports: [{name: http, containerPort: 8080}]
              readinessProbe: {httpGet: {path: /, port: 8080}}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        var workload = result.Config.LocalWorkloads[0];
        Assert.Equal("web", workload.ServiceAccount);
        Assert.Equal("v1", workload.Labels["version"]);
        Assert.Equal("$(POD_IP)", workload.Spec.Command[4]);
        Assert.Equal("hello", workload.Spec.Env[0].Value);
        Assert.Equal(8080, workload.Spec.Ports[0].ContainerPort);
        Assert.Equal(IntOrString.FromNumber(8080), workload.Spec.ReadinessProbe!.HttpGet!.Port);
    }

    [Fact]
    public void Load_DefaultsApply_WhenFieldsAreAbsent()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: worker}
            spec:
              command: [sleep, "3600"]
            """);

        var workload = Assert.Single(result.Config.LocalWorkloads);
        Assert.Equal(1, workload.Spec.Replicas);
        Assert.Equal("default", workload.ServiceAccount);
        Assert.Equal("default", workload.Metadata.Namespace);
        Assert.Null(workload.Spec.ReadinessProbe);
    }

    [Fact]
    public void Load_WorkloadWithoutCommand_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              ports: [{name: http, containerPort: 8080}]
            """);

        DiagnosticAssert.Contains("test.yaml:4 spec.command: required field is missing", result.Diagnostics);
    }

    [Fact]
    public void Load_ProbeWithoutHandler_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: [python3]
              readinessProbe: {periodSeconds: 5}
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.readinessProbe: a readiness probe needs httpGet or tcpSocket", result.Diagnostics);
    }

    [Fact]
    public void Load_DuplicatePorts_AreReported()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: [python3]
              ports:
              - {name: http, containerPort: 8080}
              - {name: http, containerPort: 8080}
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.ports[1].containerPort: port 8080 is declared twice", result.Diagnostics);
        DiagnosticAssert.Contains("test.yaml:8 spec.ports[1].name: port name \"http\" is declared twice", result.Diagnostics);
    }

    [Fact]
    public void Load_NegativeReplicas_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: [python3]
              replicas: -1
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.replicas: must be between 0 and 254, got -1", result.Diagnostics);
    }
}
