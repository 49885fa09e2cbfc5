namespace Heddle.Config.Tests.Analysis;

public class ReadinessProbePortCheckTests
{
    [Fact]
    public void Analyze_ProbeNamingAnUndeclaredPort_ReportsError()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: [python3]
              ports: [{name: http, containerPort: 8080}]
              readinessProbe:
                httpGet: {path: /healthz, port: admin}
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.readinessProbe.httpGet.port: port \"admin\" is not declared in spec.ports", diagnostics);
    }

    [Fact]
    public void Analyze_ProbeOnAnUndeclaredNumber_Warns()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: [python3]
              ports: [{name: http, containerPort: 8080}]
              readinessProbe:
                tcpSocket: {port: 9090}
            """);

        DiagnosticAssert.Contains("test.yaml:8 spec.readinessProbe.tcpSocket.port: warning: port 9090 is not declared in spec.ports", diagnostics);
    }

    [Fact]
    public void Analyze_ProbeOnADeclaredName_IsFine()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: heddle.dev/v1alpha1
            kind: LocalWorkload
            metadata: {name: web}
            spec:
              command: [python3]
              ports: [{name: http, containerPort: 8080}]
              readinessProbe:
                httpGet: {port: http}
            """);

        DiagnosticAssert.None(diagnostics);
    }
}
