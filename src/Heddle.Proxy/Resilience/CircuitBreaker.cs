using Heddle.Discovery.V1;

namespace Heddle.Proxy.Resilience;

/// <summary>
/// The connection-pool limits of one cluster (Istio's <c>connectionPool</c>, Envoy's circuit breakers), enforced in
/// the client sidecar. A request is admitted while fewer than http2MaxRequests are in flight; on an HTTP/1.1 cluster
/// each request also needs one of maxConnections, and waits for one in a queue of at most http1MaxPendingRequests.
/// A request beyond these limits is refused (503, response flag UO). Concurrent retries are limited by maxRetries.
/// </summary>
/// <remarks>The admitted path takes an uncontended lock and allocates nothing; only a request that must wait
/// allocates its place in the queue.</remarks>
internal sealed class CircuitBreaker
{
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource<bool>> _waiting = new();
    private readonly int _maxRequests;
    private readonly int _maxConnections;
    private readonly int _maxPending;
    private readonly int _maxRetries;
    private int _requests;
    private int _connections;
    private int _retries;

    public CircuitBreaker(ConnectionPoolLimits limits, bool http1)
    {
        _maxRequests = Limit(limits.Http2MaxRequests);
        _maxConnections = http1 ? Limit(limits.MaxConnections) : int.MaxValue;
        _maxPending = Limit(limits.Http1MaxPendingRequests);
        _maxRetries = Limit(limits.MaxRetries);
    }

    /// <summary>Requests admitted or waiting.</summary>
    public int Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests;
            }
        }
    }

    /// <summary>Requests waiting for a connection.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Admits a request (true) or refuses it as overflow (false). An admitted request must call
    /// <see cref="Exit"/> once; <see cref="Lease"/> does that on dispose.</summary>
    public ValueTask<bool> EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiter;
        lock (_gate)
        {
            if (_requests >= _maxRequests)
            {
                return new ValueTask<bool>(false);
            }

            if (_connections < _maxConnections)
            {
                _requests++;
                _connections++;
                return new ValueTask<bool>(true);
            }

            if (_waiting.Count >= _maxPending)
            {
                return new ValueTask<bool>(false);
            }

            _requests++;
            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Ends an admitted request: its connection goes to the first waiting request, if any.</summary>
    public void Exit()
    {
        lock (_gate)
        {
            _requests--;
            while (_waiting.TryDequeue(out var next))
            {
                // The connection passes to the waiter as it is: the count of connections stays.
                if (next.TrySetResult(true))
                {
                    return;
                }
            }

            _connections--;
        }
    }

    /// <summary>Whether a retry would be admitted now (a hint: another request may take the room before
    /// <see cref="TryEnterRetry"/>).</summary>
    public bool HasRetryRoom
    {
        get
        {
            lock (_gate)
            {
                return _retries < _maxRetries;
            }
        }
    }

    /// <summary>Retries in flight.</summary>
    public int Retries
    {
        get
        {
            lock (_gate)
            {
                return _retries;
            }
        }
    }

    /// <summary>Admits a retry while fewer than maxRetries are in flight; a true answer must be followed by
    /// <see cref="ExitRetry"/>.</summary>
    public bool TryEnterRetry()
    {
        lock (_gate)
        {
            if (_retries >= _maxRetries)
            {
                return false;
            }

            _retries++;
            return true;
        }
    }

    public void ExitRetry()
    {
        lock (_gate)
        {
            _retries--;
        }
    }

    /// <summary>Admits a request and returns its lease: <c>using var lease = await breaker.LeaseAsync(ct);</c>,
    /// then <see cref="Lease.Admitted"/>.</summary>
    public async ValueTask<Lease> LeaseAsync(CancellationToken cancellationToken) =>
        await EnterAsync(cancellationToken).ConfigureAwait(false) ? new Lease(this, admitted: true) : default;

    private async ValueTask<bool> WaitAsync(TaskCompletionSource<bool> waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(false), waiter).ConfigureAwait(false))
        {
            if (await waiter.Task.ConfigureAwait(false))
            {
                return true;
            }
        }

        // Gave up waiting (the client went away): no longer a request of this cluster.
        lock (_gate)
        {
            _requests--;
        }

        return false;
    }

    private static int Limit(uint value) => value == 0 || value > int.MaxValue ? int.MaxValue : (int)value;

    /// <summary>An admission to the cluster (or a refusal: <c>default</c>); disposing it ends the request.</summary>
    public readonly struct Lease(CircuitBreaker? breaker, bool admitted) : IDisposable
    {
        /// <summary>The lease of a cluster without limits.</summary>
        public static Lease Unlimited => new(null, admitted: true);

        public bool Admitted => admitted;

        public void Dispose() => breaker?.Exit();
    }
}
