using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Heddle.Cli.LocalMesh;
using Heddle.Discovery;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle proxy-config secret WORKLOAD [--replica N] [-o json]</c>: the sidecar's workload certificate — its chain,
/// SPIFFE identity, serial, validity and renewal time — and the trust bundle's roots with their SHA-256 fingerprints,
/// read from the admin endpoint's <c>/config_dump</c> (which never holds a private key).
/// </summary>
internal static class ProxyConfigSecretCommand
{
    public const string Kind = "secret";

    public static Command Create()
    {
        var workload = new Argument<string>("workload") { Description = "The LocalWorkload whose sidecar to read" };
        var replica = new Option<int>("--replica") { Description = "Which replica (0-based)", DefaultValueFactory = _ => 0 };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The workload's namespace, when its name is not unique" };
        var output = OutputOption.Create();
        var runDirectory = CommonOptions.RunDirectory();
        var command = new Command(Kind, "The workload certificate: chain, SPIFFE id, serial, validity, trust bundle") { workload, replica, ns, output, runDirectory };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            RunDirectory.Resolve(parseResult.GetValue(runDirectory)),
            parseResult.GetRequiredValue(workload),
            parseResult.GetValue(ns),
            parseResult.GetValue(replica),
            parseResult.GetRequiredValue(output),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(
        RunDirectory runDirectory, string workload, string? ns, int replica, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        const string name = "heddle proxy-config secret";
        var state = runDirectory.TryReadRunning(out string problem);
        var pod = state is null ? null : ExecCommand.FindPod(state, workload, ns, replica, out problem);
        if (pod is null)
        {
            error.WriteLine($"{name}: {problem}");
            return 1;
        }

        using var client = Prober.CreateClient();
        JsonElement secrets;
        try
        {
            using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri($"http://{pod.PodIp}:{MeshPorts.Admin}/config_dump"), cancellationToken).ConfigureAwait(false));
            secrets = document.RootElement.TryGetProperty("secrets", out var found) ? found.Clone() : default;
        }
        catch (Exception e) when ((e is HttpRequestException or JsonException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"{name}: the sidecar of {pod.PodName} does not answer on {pod.PodIp}:{MeshPorts.Admin}/config_dump ({e.Message}); is it running? see `heddle status`");
            return 1;
        }

        if (format == OutputOption.Json)
        {
            output.WriteLine(secrets.ValueKind == JsonValueKind.Array ? JsonSerializer.Serialize(secrets, SecretJsonContext.Default.JsonElement) : "[]");
            return 0;
        }

        Write(secrets, output);
        return 0;
    }

    /// <summary>istioctl's table (one row for the certificate chain, one per root), then the details of the chain.</summary>
    public static void Write(JsonElement secrets, TextWriter output)
    {
        if (secrets.ValueKind != JsonValueKind.Array || secrets.GetArrayLength() == 0)
        {
            output.WriteLine("no workload certificate yet");
            return;
        }

        foreach (var secret in secrets.EnumerateArray())
        {
            var table = new TextTable("RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE");
            var chain = Array(secret, "chain");
            var roots = Array(secret, "trustBundle");
            if (chain.Count > 0)
            {
                table.Add(Text(secret, "name"), "Cert Chain", "ACTIVE", Valid(chain[0]), Text(chain[0], "serialNumber"), Text(chain[0], "notAfter"), Text(chain[0], "notBefore"));
            }

            foreach (var root in roots)
            {
                table.Add("ROOTCA", "CA", "ACTIVE", Valid(root), Text(root, "serialNumber"), Text(root, "notAfter"), Text(root, "notBefore"));
            }

            table.WriteTo(output);
            output.WriteLine();
            if (chain.Count > 0)
            {
                output.WriteLine($"SPIFFE ID:   {Text(secret, "spiffeId")}");
                output.WriteLine($"Renewal at:  {Text(secret, "renewAt")}");
                output.WriteLine("Chain:");
                for (int i = 0; i < chain.Count; i++)
                {
                    var certificate = chain[i];
                    string subject = Text(certificate, "subject");
                    output.WriteLine($"  [{i}] subject \"{subject}\", issuer \"{Text(certificate, "issuer")}\", serial {Text(certificate, "serialNumber")}");
                    foreach (var uri in Array(certificate, "uris"))
                    {
                        output.WriteLine($"      URI SAN {uri.GetString()}");
                    }
                }
            }

            foreach (var root in roots)
            {
                output.WriteLine($"Root \"{Text(root, "subject")}\" SHA-256 fingerprint {Text(root, "sha256Fingerprint")}");
            }

            if (Text(secret, "lastError") is { Length: > 0 } lastError)
            {
                output.WriteLine($"Last error:  {lastError}");
            }
        }
    }

    private static string Valid(JsonElement certificate)
    {
        var now = DateTimeOffset.UtcNow;
        return DateTimeOffset.TryParse(Text(certificate, "notBefore"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var notBefore)
            && DateTimeOffset.TryParse(Text(certificate, "notAfter"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var notAfter)
            && notBefore <= now && now < notAfter
            ? "true"
            : "false";
    }

    private static List<JsonElement> Array(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
internal sealed partial class SecretJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
