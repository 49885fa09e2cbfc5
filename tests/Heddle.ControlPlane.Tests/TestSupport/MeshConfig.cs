using Heddle.Config;
using Heddle.Config.Model;

namespace Heddle.ControlPlane.Tests.TestSupport;

/// <summary>Loads YAML the way the control plane does: written to files in a directory, read by the config loader.</summary>
internal static class MeshConfig
{
    public static ConfigSet Load(params (string File, string Yaml)[] files)
    {
        using var directory = new TempConfigDirectory();
        foreach (var (file, yaml) in files)
        {
            directory.Write(file, yaml);
        }

        var result = ConfigLoader.LoadDirectory(directory.Path);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Config;
    }

    /// <summary>A Service <c>web</c> (port 8000 → named port http) backed by LocalWorkloads web-v1 (8080) and web-v2
    /// (9090), subsets v1/v2, and a VirtualService sending <c>x-canary: true</c> to v2 and splitting the rest 80/20.</summary>
    public const string Web = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: default
        spec:
          selector:
            app: web
          ports:
          - name: http
            port: 8000
            targetPort: http
        ---
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata:
          name: web-v1
          labels: {app: web, version: v1}
        spec:
          command: ["python3", "-m", "http.server", "8080"]
          ports: [{name: http, containerPort: 8080}]
        ---
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata:
          name: web-v2
          labels: {app: web, version: v2}
        spec:
          command: ["python3", "-m", "http.server", "9090"]
          ports: [{name: http, containerPort: 9090}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: web
        spec:
          host: web
          subsets:
          - name: v1
            labels: {version: v1}
          - name: v2
            labels: {version: v2}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: [web]
          http:
          - name: canary
            match:
            - headers:
                x-canary:
                  exact: "true"
            route:
            - destination: {host: web, subset: v2}
          - name: split
            route:
            - destination: {host: web, subset: v1}
              weight: 80
            - destination: {host: web, subset: v2}
              weight: 20
        ---
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata:
          name: client
          labels: {app: client}
        spec:
          command: ["python3", "client.py"]
        """;

    /// <summary>A gRPC Service <c>api</c> in namespace <c>shop</c> with a VirtualService using short names there.</summary>
    public const string Shop = """
        apiVersion: v1
        kind: Service
        metadata:
          name: api
          namespace: shop
        spec:
          selector: {app: api}
          ports:
          - name: grpc-api
            port: 9000
        ---
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata:
          name: api
          namespace: shop
          labels: {app: api}
        spec:
          command: ["./api"]
          ports: [{name: grpc, containerPort: 9000}, {name: metrics, containerPort: 9100}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: api
          namespace: shop
        spec:
          hosts: [api]
          http:
          - match:
            - uri: {prefix: /shop.v2.}
              withoutHeaders:
                x-legacy: {}
            route:
            - destination: {host: api}
        """;

    /// <summary>ServiceEntries: one with WorkloadEntries by selector (STATIC), one external with DNS resolution.</summary>
    public const string External = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata:
          name: legacy
        spec:
          hosts: [legacy.internal]
          location: MESH_INTERNAL
          ports:
          - number: 80
            name: http
            protocol: HTTP
            targetPort: 8081
          resolution: STATIC
          workloadSelector:
            labels: {app: legacy}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: vm-1
        spec:
          address: 10.1.0.5
          labels: {app: legacy}
          ports: {http: 8085}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: vm-2
        spec:
          address: 10.1.0.6
          labels: {app: legacy}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: other
        spec:
          address: 10.1.0.7
          labels: {app: other}
        ---
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata:
          name: payments
        spec:
          hosts: [payments.example.com]
          location: MESH_EXTERNAL
          ports:
          - number: 443
            name: https
            protocol: HTTPS
          resolution: DNS
        """;
}
