namespace Heddle.Cli.Tests.Commands;

/// <summary>A temporary configuration directory and the YAML documents the command tests write into it.</summary>
internal sealed class ConfigFiles : IDisposable
{
    public const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports:
          - {name: http, port: 80, targetPort: 8080}
        """;

    public const string Workload = """
        apiVersion: heddle.dev/v1alpha1
        kind: LocalWorkload
        metadata:
          name: web-v1
          labels: {app: web, version: v1}
        spec:
          command: ["python3", "-m", "http.server", "--bind", "$(POD_IP)", "8080"]
          ports:
          - {name: http, containerPort: 8080}
        """;

    public const string Subsets = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: web
        spec:
          host: web
          subsets:
          - {name: v1, labels: {version: v1}}
        """;

    public const string WeightsNot100 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: [web]
          http:
          - route:
            - destination: {host: web, subset: v1}
              weight: 80
            - destination: {host: web, subset: v1}
              weight: 10
        """;

    public const string AllToV1 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: [web]
          http:
          - route:
            - destination: {host: web, subset: v1}
        """;

    public ConfigFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("heddle-config-").FullName;
    }

    public string Directory { get; }

    public string Write(string name, string yaml)
    {
        string path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml + "\n");
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
