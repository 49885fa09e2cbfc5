using System.Threading.Channels;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Snapshots;
using Heddle.ControlPlane.Telemetry;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Discovery;

/// <summary>The control plane's view of one proxy stream: what the proxy acknowledged, what is in flight and what
/// the proxy should have next.</summary>
/// <remarks>At most one response is in flight; changes that pile up meanwhile become one delta, computed against the
/// last acknowledged snapshot, once the proxy answers. A rejected version is not sent again.</remarks>
public sealed class ProxyConnection
{
    private readonly Lock _lock = new();
    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ProxySnapshot? _acked;
    private ProxySnapshot? _latest;
    private InFlight? _inFlight;
    private string _sentVersion = "";
    private string? _rejectedVersion;
    private string _lastRejection = "";
    private int _rejections;
    private long _nonce;
    private readonly ControlPlaneMetrics _metrics;
    private readonly long _connectedAt;
    // When the change the proxy has not converged to yet happened (a TimeProvider timestamp; 0: converged).
    private long _pendingSince;

    public ProxyConnection(Node node, PodRegistry.Registration registration, ControlPlaneMetrics? metrics = null)
    {
        Node = node;
        Registration = registration;
        _metrics = metrics ?? ControlPlaneMetrics.Shared;
        _connectedAt = _metrics.Time.GetTimestamp();
    }

    /// <summary>Whether a snapshot was ever offered on this stream.</summary>
    public bool HasLatest
    {
        get
        {
            lock (_lock)
            {
                return _latest is not null;
            }
        }
    }

    public Node Node { get; }

    public string Id => Node.Id;

    public PodRegistry.Registration Registration { get; }

    /// <summary>Offers the snapshot the proxy should converge to; returns false when it is already the latest one.</summary>
    public bool SetLatest(ProxySnapshot snapshot)
    {
        lock (_lock)
        {
            if (_latest is not null && _latest.Version == snapshot.Version)
            {
                return false;
            }

            _latest = snapshot;
            if (_pendingSince == 0)
            {
                _pendingSince = Math.Max(_metrics.LastChangeTimestamp, _connectedAt);
            }
        }

        _wakeUp.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Takes the next response to send, if any: nothing may be in flight and the latest snapshot must differ
    /// from both the acknowledged one and the last rejected one.</summary>
    public bool TryTakeNextResponse(out Outgoing outgoing)
    {
        lock (_lock)
        {
            if (_inFlight is not null || _latest is null || _latest.Version == _acked?.Version || _latest.Version == _rejectedVersion)
            {
                outgoing = default;
                return false;
            }

            var delta = SnapshotDelta.Compute(_acked, _latest);
            var baseVersion = _acked?.Version ?? "";
            var nonce = (++_nonce).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _inFlight = new InFlight(nonce, _latest);
            _sentVersion = _latest.Version;
            outgoing = new Outgoing(delta.ToResponse(_latest.Version, baseVersion, nonce), delta);
            return true;
        }
    }

    /// <summary>Applies the proxy's answer to the response named by its nonce; answers to other nonces are ignored.</summary>
    public Answer OnRequest(DiscoveryRequest request)
    {
        Answer answer;
        TimeSpan? convergence = null;
        lock (_lock)
        {
            if (_inFlight is null || request.ResponseNonce != _inFlight.Nonce)
            {
                return Answer.None;
            }

            if (request.Rejection is null && request.AckedVersion == _inFlight.Snapshot.Version)
            {
                _acked = _inFlight.Snapshot;
                answer = Answer.Acked;
                if (_acked == _latest && _pendingSince != 0)
                {
                    convergence = _metrics.Time.GetElapsedTime(_pendingSince);
                    _pendingSince = 0;
                }
            }
            else
            {
                _rejectedVersion = _inFlight.Snapshot.Version;
                _lastRejection = request.Rejection?.Reason ?? $"acknowledged version '{request.AckedVersion}' instead of '{_inFlight.Snapshot.Version}'";
                _rejections++;
                answer = Answer.Rejected;
                if (_inFlight.Snapshot == _latest)
                {
                    // The rejected version is not sent again: there is nothing to converge to until the next change.
                    _pendingSince = 0;
                }
            }

            _inFlight = null;
        }

        if (answer == Answer.Acked)
        {
            _metrics.PushAcked(convergence);
        }
        else
        {
            _metrics.PushRejected();
        }

        _wakeUp.Writer.TryWrite(true);
        return answer;
    }

    /// <summary>Waits until the state changed in a way that may allow a response to be sent.</summary>
    public ValueTask<bool> WaitToSendAsync(CancellationToken cancellationToken) => _wakeUp.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Clears the wake-up signal before looking for work, so that a change made afterwards wakes the sender again.</summary>
    public void ConsumeWakeUp() => _wakeUp.Reader.TryRead(out _);

    public ProxyStatus GetStatus()
    {
        lock (_lock)
        {
            var acked = _acked?.Version ?? "";
            var latest = _latest?.Version ?? "";
            var status = _sentVersion.Length == 0 ? "NOT SENT" : acked == latest ? "SYNCED" : "STALE";
            return new ProxyStatus(acked, _sentVersion, latest, status, _rejections, _lastRejection);
        }
    }

    /// <summary>The latest snapshot offered to this proxy (not necessarily sent or acknowledged yet).</summary>
    public ProxySnapshot? Latest
    {
        get
        {
            lock (_lock)
            {
                return _latest;
            }
        }
    }

    /// <summary>The last snapshot the proxy acknowledged.</summary>
    public ProxySnapshot? Acked
    {
        get
        {
            lock (_lock)
            {
                return _acked;
            }
        }
    }

    public enum Answer
    {
        None,
        Acked,
        Rejected,
    }

    public readonly record struct Outgoing(DiscoveryResponse Response, SnapshotDelta Delta);

    private sealed record InFlight(string Nonce, ProxySnapshot Snapshot);
}

