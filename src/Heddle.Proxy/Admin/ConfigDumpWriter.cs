using System.Buffers;
using System.Text.Json;
using Google.Protobuf;
using Heddle.Proxy.Discovery;

namespace Heddle.Proxy.Admin;

/// <summary>
/// The snapshot the proxy serves, as JSON: <c>{"version", "node", "controlPlaneConnected", "resources": [..]}</c>,
/// resources sorted by name, each in the protocol's canonical JSON form, then the workload certificate (<c>"secrets"</c>).
/// </summary>
internal static class ConfigDumpWriter
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static void Write(IBufferWriter<byte> output, ProxySnapshot snapshot, string nodeId, bool controlPlaneConnected, Security.WorkloadCertificates? certificates = null)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("version", snapshot.Version);
        json.WriteString("node", nodeId);
        json.WriteBoolean("controlPlaneConnected", controlPlaneConnected);
        json.WriteStartArray("resources");
        var names = new List<string>(snapshot.Resources.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            // Re-read so that each resource is indented with the rest of the document.
            using var resource = JsonDocument.Parse(Formatter.Format(snapshot.Resources[name]));
            resource.WriteTo(json);
        }

        json.WriteEndArray();
        if (certificates is not null)
        {
            Security.SecretDumpWriter.Write(json, certificates);
        }

        json.WriteEndObject();
    }
}
