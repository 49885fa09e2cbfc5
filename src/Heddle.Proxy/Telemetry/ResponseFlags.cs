using System.Buffers;

namespace Heddle.Proxy.Telemetry;

/// <summary>Why a request did not get a normal upstream response, as Envoy's access-log response flags say it.</summary>
[Flags]
internal enum ResponseFlags
{
    None = 0,

    /// <summary>NR: no route for the request (unknown host, no matching route, undeclared inbound port).</summary>
    NoRoute = 1 << 0,

    /// <summary>UH: the chosen cluster has no healthy endpoint.</summary>
    NoHealthyUpstream = 1 << 1,

    /// <summary>UF: the connection to the upstream could not be opened.</summary>
    UpstreamConnectionFailure = 1 << 2,

    /// <summary>UT: the upstream did not answer in time.</summary>
    UpstreamRequestTimeout = 1 << 3,

    /// <summary>UC: the upstream connection ended before the response did.</summary>
    UpstreamConnectionTermination = 1 << 4,

    /// <summary>DC: the downstream client went away.</summary>
    DownstreamConnectionTermination = 1 << 5,

    /// <summary>URX: retries (or connection attempts) were exhausted.</summary>
    UpstreamRetryLimitExceeded = 1 << 6,

    /// <summary>NC: the route named a cluster the configuration does not have.</summary>
    NoClusterFound = 1 << 7,

    /// <summary>DI: a fault delay was injected.</summary>
    DelayInjected = 1 << 8,

    /// <summary>FI: a fault abort answered the request.</summary>
    FaultInjected = 1 << 9,
    /// <summary>UO: the cluster's connection-pool limits (circuit breaker) refused the request.</summary>
    UpstreamOverflow = 1 << 20,
}

internal static class ResponseFlagNames
{
    private static readonly (ResponseFlags Flag, string Code)[] Codes =
    [
        (ResponseFlags.NoRoute, "NR"),
        (ResponseFlags.NoHealthyUpstream, "UH"),
        (ResponseFlags.UpstreamConnectionFailure, "UF"),
        (ResponseFlags.UpstreamRequestTimeout, "UT"),
        (ResponseFlags.UpstreamConnectionTermination, "UC"),
        (ResponseFlags.DownstreamConnectionTermination, "DC"),
        (ResponseFlags.UpstreamRetryLimitExceeded, "URX"),
        (ResponseFlags.NoClusterFound, "NC"),
        (ResponseFlags.DelayInjected, "DI"),
        (ResponseFlags.FaultInjected, "FI"),
        (ResponseFlags.UpstreamOverflow, "UO"),
    ];

    /// <summary>"-" for none, else the codes joined with commas ("UF,URX"), as Envoy prints them.</summary>
    public static string Format(ResponseFlags flags)
    {
        if (flags == ResponseFlags.None)
        {
            return "-";
        }

        foreach (var (flag, code) in Codes)
        {
            if (flags == flag)
            {
                return code;
            }
        }

        var parts = new List<string>();
        foreach (var (flag, code) in Codes)
        {
            if ((flags & flag) != 0)
            {
                parts.Add(code);
            }
        }

        return string.Join(',', parts);
    }

    /// <summary>Writes what <see cref="Format"/> returns as ASCII, without building a string for a combination of flags.</summary>
    public static void Write(ResponseFlags flags, IBufferWriter<byte> output)
    {
        // Every code is at most three letters, plus a comma between codes.
        var span = output.GetSpan(Codes.Length * 4);
        if (flags == ResponseFlags.None)
        {
            span[0] = (byte)'-';
            output.Advance(1);
            return;
        }

        var written = 0;
        foreach (var (flag, code) in Codes)
        {
            if ((flags & flag) == 0)
            {
                continue;
            }

            if (written > 0)
            {
                span[written++] = (byte)',';
            }

            foreach (var c in code)
            {
                span[written++] = (byte)c;
            }
        }

        output.Advance(written);
    }
}
