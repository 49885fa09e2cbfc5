using Heddle.Discovery.V1;
using Heddle.Proxy.Upstreams;

namespace Heddle.Proxy.Resilience;

/// <summary>
/// Outlier detection for one cluster, as Envoy does it for Istio's <c>outlierDetection</c>: an endpoint that answers
/// enough 5xx (or gateway errors) in a row is ejected at once, for base ejection time × its number of ejections; a
/// sweep every interval returns endpoints whose time is up. At most max-ejection-percent of the endpoints are ejected
/// (always at least one); below min-health-percent healthy endpoints, ejections are ignored and every endpoint takes
/// traffic again.
/// </summary>
internal sealed class OutlierDetector : IDisposable
{
    /// <summary>Envoy's default cap on one ejection (max_ejection_time).</summary>
    private static readonly TimeSpan MaxEjectionTime = TimeSpan.FromSeconds(300);

    private readonly UpstreamEndpoint[] _endpoints;
    private readonly TimeProvider _timeProvider;
    private readonly int _consecutive5xx;
    private readonly int _consecutiveGateway;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _baseEjectionTime;
    private readonly int _maxEjectionPercent;
    private readonly int _minHealthPercent;
    private readonly Lock _gate = new();
    private ITimer? _sweep;
    private bool _disposed;

    public OutlierDetector(OutlierDetectionPolicy policy, UpstreamEndpoint[] endpoints, TimeProvider timeProvider)
    {
        _endpoints = endpoints;
        _timeProvider = timeProvider;
        _consecutive5xx = (int)Math.Min(policy.Consecutive5XxErrors, int.MaxValue);
        _consecutiveGateway = (int)Math.Min(policy.ConsecutiveGatewayErrors, int.MaxValue);
        _interval = TimeSpan.FromMilliseconds(Math.Max(1, policy.IntervalMs));
        _baseEjectionTime = TimeSpan.FromMilliseconds(policy.BaseEjectionTimeMs);
        _maxEjectionPercent = (int)Math.Min(policy.MaxEjectionPercent, 100);
        _minHealthPercent = (int)Math.Min(policy.MinHealthPercent, 100);
        foreach (var endpoint in endpoints)
        {
            // A detector starts from what the endpoint's previous detector left (endpoints survive unrelated pushes).
            if (endpoint.Outlier.Ejected)
            {
                StartSweep();
            }
        }

        lock (_gate)
        {
            Publish();
        }
    }

    /// <summary>Endpoints currently ejected by the detector (whether or not the pool is in panic).</summary>
    public int EjectedCount
    {
        get
        {
            lock (_gate)
            {
                return CountEjected();
            }
        }
    }

    /// <summary>Records the outcome of one request to <paramref name="endpoint"/>: its response status, or 0 with
    /// <paramref name="localFailure"/> when no response came (connection failed or reset).</summary>
    public void Report(UpstreamEndpoint endpoint, int status, bool localFailure)
    {
        var state = endpoint.Outlier;
        var gatewayError = localFailure || status is 502 or 503 or 504;
        var error = localFailure || status >= 500;
        if (!error)
        {
            if (state.Consecutive5xx != 0)
            {
                Volatile.Write(ref state.Consecutive5xx, 0);
            }

            if (state.ConsecutiveGateway != 0)
            {
                Volatile.Write(ref state.ConsecutiveGateway, 0);
            }

            return;
        }

        var fivexx = Interlocked.Increment(ref state.Consecutive5xx);
        int gateway;
        if (gatewayError)
        {
            gateway = Interlocked.Increment(ref state.ConsecutiveGateway);
        }
        else
        {
            Volatile.Write(ref state.ConsecutiveGateway, 0);
            gateway = 0;
        }

        if ((_consecutive5xx > 0 && fivexx >= _consecutive5xx) || (_consecutiveGateway > 0 && gateway >= _consecutiveGateway))
        {
            TryEject(endpoint);
        }
    }

    /// <summary>Returns endpoints whose ejection time is up and lets the ejection count of healthy endpoints decay.
    /// Runs every interval while anything is ejected or remembered; tests call it directly.</summary>
    public void Sweep()
    {
        lock (_gate)
        {
            var now = _timeProvider.GetTimestamp();
            var remembered = false;
            foreach (var endpoint in _endpoints)
            {
                var state = endpoint.Outlier;
                if (state.Ejected)
                {
                    if (now >= state.EjectedUntil)
                    {
                        state.Ejected = false;
                    }
                }
                else if (state.Ejections > 0)
                {
                    state.Ejections--;
                }

                remembered |= state.Ejected || state.Ejections > 0;
            }

            Publish();
            if (!remembered)
            {
                _sweep?.Dispose();
                _sweep = null;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _sweep?.Dispose();
            _sweep = null;
        }
    }

    private void TryEject(UpstreamEndpoint endpoint)
    {
        lock (_gate)
        {
            var state = endpoint.Outlier;
            if (state.Ejected || _disposed)
            {
                return;
            }

            var ejected = CountEjected();
            // Envoy ejects at least one endpoint whatever the percentage says.
            if (ejected > 0 && (ejected + 1) * 100 > _endpoints.Length * _maxEjectionPercent)
            {
                return;
            }

            state.Ejections++;
            var duration = _baseEjectionTime * state.Ejections;
            if (duration > MaxEjectionTime && MaxEjectionTime > _baseEjectionTime)
            {
                duration = MaxEjectionTime;
            }

            state.Ejected = true;
            state.EjectedUntil = _timeProvider.GetTimestamp() + (long)(duration.TotalSeconds * _timeProvider.TimestampFrequency);
            Volatile.Write(ref state.Consecutive5xx, 0);
            Volatile.Write(ref state.ConsecutiveGateway, 0);
            Publish();
            StartSweep();
        }
    }

    /// <summary>Sets every endpoint's flag from the detector's view, unless so few are healthy that the pool
    /// panics and uses them all.</summary>
    private void Publish()
    {
        var ejected = CountEjected();
        var healthy = _endpoints.Length - ejected;
        var panic = healthy * 100 < _minHealthPercent * _endpoints.Length;
        foreach (var endpoint in _endpoints)
        {
            endpoint.SetEjected(!panic && endpoint.Outlier.Ejected);
        }
    }

    private int CountEjected()
    {
        var count = 0;
        foreach (var endpoint in _endpoints)
        {
            if (endpoint.Outlier.Ejected)
            {
                count++;
            }
        }

        return count;
    }

    private void StartSweep()
    {
        if (_sweep is null && !_disposed)
        {
            _sweep = _timeProvider.CreateTimer(static state => ((OutlierDetector)state!).Sweep(), this, _interval, _interval);
        }
    }
}
