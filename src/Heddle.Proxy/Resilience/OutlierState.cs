namespace Heddle.Proxy.Resilience;

/// <summary>What outlier detection knows about one endpoint: failures in a row, ejections so far, and until when the
/// current ejection lasts. Counters are updated without locks on the request path; ejection happens under the
/// detector's lock.</summary>
internal sealed class OutlierState
{
    public int Consecutive5xx;

    public int ConsecutiveGateway;

    /// <summary>How many times the endpoint was ejected (the multiplier of the base ejection time); decays by one per
    /// interval while the endpoint is not ejected.</summary>
    public int Ejections;

    /// <summary>Ejected by the detector (the endpoint's flag may still be clear while the pool is in panic).</summary>
    public bool Ejected;

    /// <summary>TimeProvider timestamp at which the ejection may end.</summary>
    public long EjectedUntil;
}
