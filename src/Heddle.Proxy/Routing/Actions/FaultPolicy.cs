using Heddle.Discovery.V1;

namespace Heddle.Proxy.Routing.Actions;

/// <summary>Istio's <c>fault</c>: a delay and/or an abort, each applied to its share of requests (in millionths).</summary>
internal sealed class FaultPolicy(RouteFault source)
{
    public const int Million = 1_000_000;

    public TimeSpan Delay { get; } = TimeSpan.FromMilliseconds(source.DelayMs);

    public int DelayPerMillion { get; } = (int)Math.Min(source.DelayPerMillion, Million);

    /// <summary>HTTP status of the abort, 0 when there is none or it is a gRPC status.</summary>
    public int AbortHttpStatus { get; } = (int)source.AbortHttpStatus;

    /// <summary>gRPC status of the abort, -1 when none.</summary>
    public int AbortGrpcStatus { get; } = source.HasAbortGrpcStatus ? (int)source.AbortGrpcStatus : -1;

    public int AbortPerMillion { get; } = (int)Math.Min(source.AbortPerMillion, Million);

    public bool HasDelay => Delay > TimeSpan.Zero && DelayPerMillion > 0;

    public bool HasAbort => (AbortHttpStatus != 0 || AbortGrpcStatus >= 0) && AbortPerMillion > 0;

    /// <summary>Draws whether this request gets the fault of the given share.</summary>
    public static bool Hits(int perMillion, Random random) => perMillion >= Million || (perMillion > 0 && random.Next(Million) < perMillion);
}
