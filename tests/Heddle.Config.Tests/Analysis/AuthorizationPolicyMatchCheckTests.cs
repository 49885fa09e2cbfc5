namespace Heddle.Config.Tests.Analysis;

public class AuthorizationPolicyMatchCheckTests
{
    private const string Mesh = """
        apiVersion: v1
        kind: Service
        metadata: {name: httpbin, namespace: foo}
        spec:
          selector: {app: httpbin}
          ports: [{name: http, port: 8000}]
        ---
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata: {name: httpbin, namespace: foo, labels: {app: httpbin}}
        spec:
          command: ["true"]
          ports: [{name: http, containerPort: 8000}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: foo}
        spec:
          selector: {app: db}
          ports: [{name: tcp-db, port: 5432}]
        ---
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata: {name: db, namespace: foo, labels: {app: db}}
        spec:
          command: ["true"]
          ports: [{name: tcp, containerPort: 5432}]
        ---
        """;

    private const string PrincipalPolicy = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: viewer, namespace: foo}
        spec:
          selector: {matchLabels: {app: httpbin}}
          rules:
          - from:
            - source:
                principals: ["cluster.local/ns/foo/sa/sleep"]
                namespaces: ["foo"]
        """;

    [Fact]
    public void Analyze_PrincipalsWhereMutualTlsIsDisabled_Warns()
    {
        var diagnostics = Yaml.Analyze(Mesh + "\n" + PrincipalPolicy + "\n---\n" + """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: foo}
            spec:
              mtls: {mode: DISABLE}
            """);

        var warning = Assert.Single(diagnostics, d => d.Path == "spec.rules[0].from[0].source.principals");
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.StartsWith("test.yaml:", warning.ToString(), StringComparison.Ordinal);
        Assert.Contains("PeerAuthentication is DISABLE", warning.Message, StringComparison.Ordinal);
        Assert.Single(diagnostics, d => d.Path == "spec.rules[0].from[0].source.namespaces");
    }

    [Fact]
    public void Analyze_PrincipalsWithMutualTls_IsFine()
    {
        var diagnostics = Yaml.Analyze(Mesh + "\n" + PrincipalPolicy);

        Assert.DoesNotContain(diagnostics, d => d.Path.StartsWith("spec.rules", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_RequestPrincipalsWithoutRequestAuthentication_Warns()
    {
        const string Policy = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: jwt, namespace: foo}
            spec:
              selector: {matchLabels: {app: httpbin}}
              rules:
              - from:
                - source: {requestPrincipals: ["*"]}
                when:
                - key: request.auth.claims[groups]
                  values: ["admin"]
            """;

        var diagnostics = Yaml.Analyze(Mesh + "\n" + Policy);

        Assert.Single(diagnostics, d => d.Path == "spec.rules[0].from[0].source.requestPrincipals");
        Assert.Single(diagnostics, d => d.Path == "spec.rules[0].when[0].key");

        var withJwt = Yaml.Analyze(Mesh + "\n" + Policy + "\n---\n" + """
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt, namespace: istio-system}
            spec:
              jwtRules: [{issuer: "https://issuer.example", jwks: "{\"keys\":[]}"}]
            """);
        Assert.DoesNotContain(withJwt, d => d.Path.StartsWith("spec.rules", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_HttpOnlyFieldsOnTcpPorts_Warns()
    {
        var diagnostics = Yaml.Analyze(Mesh + "\n" + """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: db, namespace: foo}
            spec:
              selector: {matchLabels: {app: db}}
              action: DENY
              rules:
              - to:
                - operation: {ports: ["5432"], methods: ["GET"]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: web, namespace: foo}
            spec:
              selector: {matchLabels: {app: httpbin}}
              rules:
              - to:
                - operation: {methods: ["GET"]}
            """);

        var warning = Assert.Single(diagnostics, d => d.Path == "spec.rules[0].to[0].operation.methods");
        Assert.Contains("DENY rule refuses every connection", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_CustomPolicyWithUnknownProvider_Warns()
    {
        var diagnostics = Yaml.Analyze(Mesh + "\n" + """
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata: {name: mesh, namespace: istio-system}
            spec:
              extensionProviders:
              - name: known
                envoyExtAuthzHttp: {service: httpbin.foo.svc.cluster.local, port: "8000"}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ext, namespace: foo}
            spec:
              action: CUSTOM
              provider: {name: unknown}
              rules: [{}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ext2, namespace: foo}
            spec:
              action: CUSTOM
              provider: {name: known}
              rules: [{}]
            """);

        var warning = Assert.Single(diagnostics, d => d.Path == "spec.provider.name");
        Assert.Contains("no extension provider \"unknown\"", warning.Message, StringComparison.Ordinal);
    }
}

public class ExtensionProviderCheckTests
{
    [Fact]
    public void Analyze_ProviderWithUnknownServiceOrPort_OrADuplicateName_IsReported()
    {
        var diagnostics = Yaml.Analyze("""
            apiVersion: v1
            kind: Service
            metadata: {name: ext-authz, namespace: foo}
            spec:
              selector: {app: ext-authz}
              ports: [{name: http, port: 8000}]
            ---
            apiVersion: heddle.dev/v1alpha1
            kind: MeshConfig
            metadata: {name: mesh, namespace: istio-system}
            spec:
              extensionProviders:
              - name: good
                envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: "8000"}
              - name: wrong-port
                envoyExtAuthzHttp: {service: foo/ext-authz, port: 9000}
              - name: nowhere
                envoyExtAuthzHttp: {service: nowhere.foo.svc.cluster.local, port: 80}
              - name: good
                envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: 8000}
            """);

        Assert.Collection(
            diagnostics.Where(d => d.Path.StartsWith("spec.extensionProviders", StringComparison.Ordinal)).OrderBy(d => d.Path, StringComparer.Ordinal),
            d => Assert.Equal("spec.extensionProviders[1].envoyExtAuthzHttp.port", d.Path),
            d => Assert.Equal("spec.extensionProviders[2].envoyExtAuthzHttp.service", d.Path),
            d => Assert.Equal("spec.extensionProviders[3].name", d.Path));
    }
}
