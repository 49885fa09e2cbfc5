using System.Net;
using System.Text.Json;

namespace Heddle.Benchmarks.Runner.Cases;

/// <summary>One workload replica of a running local mesh, as recorded in the run directory's mesh.json.</summary>
internal sealed record MeshPod(string Workload, string PodName, IPAddress PodIp)
{
    /// <summary>Reads the pods from mesh.json, accepting camelCase, PascalCase or snake_case property names.</summary>
    public static List<MeshPod> ReadAll(string meshJsonPath)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(meshJsonPath));
        var pods = new List<MeshPod>();
        if (Find(document.RootElement, "pods") is not { ValueKind: JsonValueKind.Array } array)
        {
            return pods;
        }

        foreach (JsonElement pod in array.EnumerateArray())
        {
            string? workload = Find(pod, "workload")?.GetString();
            string? name = (Find(pod, "podName") ?? Find(pod, "name"))?.GetString();
            string? ip = (Find(pod, "podIp") ?? Find(pod, "ip"))?.GetString();
            if (workload is not null && ip is not null && IPAddress.TryParse(ip, out IPAddress? address))
            {
                pods.Add(new MeshPod(workload, name ?? workload, address));
            }
        }

        return pods;
    }

    private static JsonElement? Find(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string wanted = Normalize(name);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (Normalize(property.Name) == wanted)
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string Normalize(string name) => name.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}
