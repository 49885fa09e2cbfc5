using System.Text.Json;

namespace Heddle.Cli.LocalMesh;

/// <summary>Reads the control plane's monitoring endpoint: <c>/ready</c> and <c>/debug/proxies</c>.</summary>
internal sealed class ControlPlaneClient
{
    private readonly HttpClient _client;
    private readonly Uri _monitoring;

    /// <param name="monitoring">The monitoring address, <c>ip:port</c>.</param>
    public ControlPlaneClient(HttpClient client, string monitoring)
    {
        _client = client;
        _monitoring = new Uri($"http://{monitoring}/");
    }

    public Uri ReadyUri => new(_monitoring, "ready");

    /// <summary>Every connected proxy as the control plane sees it, or null when the control plane does not answer.</summary>
    public async Task<IReadOnlyList<ProxyStatus>?> GetProxiesAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync(new Uri(_monitoring, "debug/proxies"), cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ParseProxies(document.RootElement);
        }
        catch (Exception e) when ((e is HttpRequestException or JsonException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Parses the <c>/debug/proxies</c> array; fields that are missing read as empty.</summary>
    public static IReadOnlyList<ProxyStatus> ParseProxies(JsonElement root)
    {
        var proxies = new List<ProxyStatus>();
        if (root.ValueKind != JsonValueKind.Array)
        {
            return proxies;
        }

        foreach (var item in root.EnumerateArray())
        {
            proxies.Add(new ProxyStatus(
                Text(item, "id"),
                Text(item, "podName"),
                Text(item, "namespace"),
                Text(item, "workload"),
                Text(item, "podIp"),
                Text(item, "health"),
                Text(item, "ackedVersion"),
                Text(item, "latestVersion"),
                Text(item, "status")));
        }

        return proxies;
    }

    private static string Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() ?? "",
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                _ => value.GetRawText(),
            }
            : "";
}

/// <summary>One proxy connected to the control plane, as <c>/debug/proxies</c> reports it.</summary>
internal sealed record ProxyStatus(
    string Id,
    string PodName,
    string Namespace,
    string Workload,
    string PodIp,
    string Health,
    string AckedVersion,
    string LatestVersion,
    string Status);
