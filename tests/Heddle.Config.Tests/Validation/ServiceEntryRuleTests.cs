using Heddle.Config.Model;

namespace Heddle.Config.Tests.Validation;

public class ServiceEntryRuleTests
{
    [Fact]
    public void Load_ExternalApiServiceEntry_LoadsAsWritten()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: external-svc-https}
            spec:
              hosts: [api.dropboxapi.com, www.googleapis.com]
              location: MESH_EXTERNAL
              ports:
              - {number: 443, name: https, protocol: TLS}
              resolution: DNS
            """);

        DiagnosticAssert.None(result.Diagnostics);
        var spec = result.Config.ServiceEntries[0].Spec;
        Assert.Equal(ServiceEntryLocation.MeshExternal, spec.Location);
        Assert.Equal(ServiceEntryResolution.Dns, spec.Resolution);
    }

    [Fact]
    public void Load_StaticEndpoints_LoadWithPortsAndLabels()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: details-vm}
            spec:
              hosts: [details.bookinfo.com]
              location: MESH_INTERNAL
              ports: [{number: 80, name: http, protocol: HTTP, targetPort: 8080}]
              resolution: STATIC
              endpoints:
              - address: 2.2.2.2
                ports: {http: 8080}
                labels: {version: v1}
                locality: us-west/zone1
                weight: 1
            """);

        DiagnosticAssert.None(result.Diagnostics);
        Assert.Equal(8080, result.Config.ServiceEntries[0].Spec.Endpoints[0].Ports["http"]);
    }

    [Fact]
    public void Load_ResolutionNoneWithEndpoints_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db}
            spec:
              hosts: [db.example.com]
              ports: [{number: 5432, name: tcp, protocol: TCP}]
              endpoints:
              - address: 10.0.0.5
            """);

        DiagnosticAssert.Contains("test.yaml:7 spec.endpoints: resolution NONE forwards to the original destination and cannot list endpoints; use STATIC or DNS", result.Diagnostics);
    }

    [Fact]
    public void Load_EndpointPortNotDeclared_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db}
            spec:
              hosts: [db.example.com]
              ports: [{number: 5432, name: tcp}]
              resolution: STATIC
              endpoints:
              - address: 10.0.0.5
                ports: {postgres: 5433}
            """);

        DiagnosticAssert.Contains("test.yaml:10 spec.endpoints[0].ports.postgres: the ServiceEntry declares no port named \"postgres\"", result.Diagnostics);
    }

    [Fact]
    public void Load_StaticEndpointWithHostName_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: db}
            spec:
              hosts: [db.example.com]
              ports: [{number: 5432, name: tcp}]
              resolution: STATIC
              endpoints:
              - address: db1.example.com
            """);

        DiagnosticAssert.Contains("test.yaml:9 spec.endpoints[0].address: resolution STATIC needs IP addresses, got \"db1.example.com\"", result.Diagnostics);
    }

    [Fact]
    public void Load_PortWithoutName_IsReported()
    {
        var result = Yaml.Load("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: api}
            spec:
              hosts: [api.example.com]
              ports: [{number: 443}]
            """);

        DiagnosticAssert.Contains("test.yaml:6 spec.ports[0].name: required field is missing", result.Diagnostics);
    }
}
