using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Heddle.ControlPlane.Monitoring;

/// <summary>One connected proxy, as <c>/debug/proxies</c> lists it.</summary>
/// <param name="Status"><c>SYNCED</c> (acknowledged the latest snapshot), <c>STALE</c> (the latest is not acknowledged
/// yet, or was rejected) or <c>NOT SENT</c> (nothing sent yet).</param>
internal sealed record ProxyInfo(
    string Id,
    string PodName,
    string Namespace,
    string Workload,
    string PodIp,
    string Health,
    string AckedVersion,
    string LatestVersion,
    string Status,
    string SentVersion,
    int Rejections,
    string LastRejection);

/// <summary>The configuration being served, as <c>/debug/config</c> shows it.</summary>
/// <param name="Problems">Every diagnostic of the latest load, as <c>file:line path: message</c>.</param>
internal sealed record ConfigInfo(string Version, ImmutableArray<string> Problems);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ProxyInfo[]))]
[JsonSerializable(typeof(ConfigInfo))]
internal sealed partial class MonitoringJson : JsonSerializerContext;
