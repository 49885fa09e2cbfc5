using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Heddle.Proxy.Configuration;

/// <summary>The application's own metrics endpoint on the pod IP: <c>PORT</c> or <c>PORT:/path</c> (path defaults to /metrics, as Prometheus's).</summary>
internal sealed record AppMetricsSpec(int Port, string Path)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out AppMetricsSpec? spec)
    {
        spec = null;
        var colon = value.IndexOf(':');
        var portText = colon < 0 ? value.AsSpan() : value.AsSpan(0, colon);
        var path = colon < 0 || colon == value.Length - 1 ? "/metrics" : value[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            return false;
        }

        spec = new AppMetricsSpec(port, path.StartsWith('/') ? path : "/" + path);
        return true;
    }
}
