namespace Heddle.Config.Model;

/// <summary>Istio's <c>AccessLogging.Filter</c>.</summary>
public sealed record TelemetryAccessLogFilter
{
    /// <summary>A CEL expression over request attributes, e.g. <c>response.code &gt;= 400</c>.</summary>
    public string? Expression { get; init; }
}
