namespace Heddle.Config.Tests.Validation;

public class ServicePortsRuleTests
{
    [Fact]
    public void Load_ServiceWithoutPorts_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec:
              selector: {app: reviews}
            """);

        DiagnosticAssert.Contains("test.yaml:4 spec.ports: required field is missing", result.Diagnostics);
    }

    [Fact]
    public void Load_SeveralPortsWithoutNames_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports:
              - port: 80
              - port: 443
                name: https
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.ports[0].name: each port needs a name when a Service has several ports", result.Diagnostics);
    }

    [Fact]
    public void Load_NamedTargetPortAndAppProtocol_AreKept()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: grpc}
            spec:
              ports:
              - {name: grpc, port: 50051, targetPort: grpc-port, appProtocol: grpc}
            """);

        DiagnosticAssert.None(result.Diagnostics);
        var port = result.Config.Services[0].Spec.Ports[0];
        Assert.Equal("grpc-port", port.TargetPort!.Value.Name);
        Assert.Null(port.TargetPortNumber);
        Assert.Equal("grpc", port.AppProtocol);
    }

    [Fact]
    public void Load_InvalidNamedTargetPort_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              ports:
              - {port: 80, targetPort: "8080"}
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.ports[0].targetPort: a port name must be 1-15 lower-case letters, digits or '-', contain a letter, and not start or end with '-', got \"8080\"", result.Diagnostics);
    }
}
