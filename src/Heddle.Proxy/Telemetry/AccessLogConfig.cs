using Heddle.Discovery.V1;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// What the access log does right now: on or off, where it writes (null: standard output), text or JSON, and which
/// status codes it logs. Immutable; the access log swaps it whole when the control plane sends new settings.
/// </summary>
internal sealed class AccessLogConfig
{
    private const int MaxCode = 999;
    private const string StandardOutput = "/dev/stdout";

    /// <summary>Logged codes, one bit each (null: every code).</summary>
    private readonly bool[]? _codes;

    private AccessLogConfig(bool enabled, string? path, bool json, bool[]? codes)
    {
        Enabled = enabled;
        Path = path;
        Json = json;
        _codes = codes;
    }

    public bool Enabled { get; }

    /// <summary>The file written to; null is the proxy's standard output.</summary>
    public string? Path { get; }

    public bool Json { get; }

    /// <summary>True when a filter restricts the logged status codes.</summary>
    public bool Filtered => _codes is not null;

    /// <summary>The proxy's command-line settings: standard output, no filter.</summary>
    public static AccessLogConfig FromFlags(bool enabled, bool json) => new(enabled, null, json, null);

    /// <summary>The settings the control plane sent.</summary>
    public static AccessLogConfig From(AccessLogSettings settings)
    {
        bool[]? codes = null;
        if (settings.Filtered)
        {
            codes = new bool[MaxCode + 1];
            foreach (var range in settings.CodeRanges)
            {
                for (long code = range.Min; code <= Math.Min(range.Max, (uint)MaxCode); code++)
                {
                    codes[code] = true;
                }
            }
        }

        var path = settings.Path is "" or StandardOutput ? null : settings.Path;
        return new AccessLogConfig(settings.Enabled, path, settings.Json, codes);
    }

    /// <summary>Whether a request that ended with <paramref name="code"/> (0: no response) is logged.</summary>
    public bool Accepts(int code) => Enabled && (_codes is null || (uint)code <= MaxCode && _codes[code]);

    /// <summary>Whether <paramref name="other"/> describes the same log.</summary>
    public bool SameAs(AccessLogConfig other) =>
        Enabled == other.Enabled && Path == other.Path && Json == other.Json
        && (_codes is null ? other._codes is null : other._codes is not null && _codes.AsSpan().SequenceEqual(other._codes));

    public override string ToString() =>
        !Enabled ? "off" : $"{(Json ? "json" : "text")} to {Path ?? "stdout"}{(Filtered ? " (filtered)" : "")}";
}
