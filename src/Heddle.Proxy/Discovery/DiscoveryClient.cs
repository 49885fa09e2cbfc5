using Grpc.Core;
using Grpc.Net.Client;
using Heddle.Discovery.V1;
using Heddle.Proxy.Configuration;
using Heddle.Proxy.Health;
using Heddle.Proxy.Security;
using Heddle.Proxy.Telemetry;
using Microsoft.Extensions.Logging;
using DiscoveryService = Heddle.Discovery.V1.Discovery;

namespace Heddle.Proxy.Discovery;

/// <summary>
/// Keeps one discovery stream open to the control plane: introduces the proxy with its Node, applies every response
/// onto the last good snapshot and acknowledges or rejects it, reports the application's health when it changes, and
/// reconnects with backoff when the stream breaks. The last good snapshot keeps serving throughout. The same stream
/// carries the proxy's certificate signing requests (first with the Node, then whenever the certificate is due for
/// renewal) and their answers, which are not configuration and are not acknowledged.
/// </summary>
internal sealed class DiscoveryClient : IDisposable
{
    public const string ProxyVersion = "heddle-proxy/0.1";

    private readonly ProxyOptions _options;
    private readonly SnapshotStore _store;
    private readonly AppHealth _health;
    private readonly ILogger _logger;
    private readonly GrpcChannel _channel;
    private readonly DiscoveryService.DiscoveryClient _client;
    private readonly ExponentialBackoff _backoff;
    private readonly Node _node;
    private readonly TaskCompletionSource _leaving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WorkloadCertificates? _certificates;
    private volatile bool _connected;
    private int _streamsOpened;
    private long _nextAttemptTicks;

    /// <summary>How long a signing request may go unanswered before it is sent again.</summary>
    public static readonly TimeSpan CertificateRequestTimeout = TimeSpan.FromSeconds(10);

    public DiscoveryClient(ProxyOptions options, SnapshotStore store, AppHealth health, ILogger logger, WorkloadCertificates? certificates = null)
    {
        _certificates = certificates;
        _options = options;
        _store = store;
        _health = health;
        _logger = logger;
        _backoff = new ExponentialBackoff(options.DiscoveryBackoffInitial, options.DiscoveryBackoffMax, options.Random);
        _channel = GrpcChannel.ForAddress(options.DiscoveryAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                // Notice a control plane that vanished without closing the connection.
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                SslOptions = options.DiscoveryRootCertificates is { } roots
                    ? new ControlPlaneTrust(roots, certificates).ClientOptions(options.DiscoveryAddress.IdnHost)
                    : new System.Net.Security.SslClientAuthenticationOptions(),
            },
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
        _client = new DiscoveryService.DiscoveryClient(_channel);
        _node = new Node
        {
            Id = options.NodeId,
            PodName = options.PodName,
            Namespace = options.Namespace,
            Workload = options.Workload,
            PodIp = options.PodIp.ToString(),
            ServiceAccount = options.ServiceAccount,
            ProxyVersion = ProxyVersion,
            Token = options.Token ?? "",
        };
        foreach (var label in options.Labels)
        {
            _node.Labels.Add(label.Key, label.Value);
        }
    }

    /// <summary>Whether a stream is open and the control plane has answered on it.</summary>
    public bool IsConnected => _connected;

    /// <summary>How many streams were opened so far (reconnections included).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>When the next connection attempt is due while disconnected (TimeProvider ticks, 0 when connected).</summary>
    public long NextAttemptTimestamp => Interlocked.Read(ref _nextAttemptTicks);

    /// <summary>Says goodbye: ends the stream in an orderly way, so that the control plane takes this pod off every
    /// endpoint list at once, and stops reconnecting. Returns whether the control plane heard it (the stream was up
    /// and it closed its side within <paramref name="timeout"/>).</summary>
    public async Task<bool> LeaveAsync(Task running, TimeSpan timeout)
    {
        var wasConnected = _connected;
        _leaving.TrySetResult();
        var finished = await Task.WhenAny(running, Task.Delay(timeout, _options.TimeProvider)).ConfigureAwait(false);
        return wasConnected && finished == running;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !_leaving.Task.IsCompleted)
        {
            string reason;
            try
            {
                await RunStreamAsync(cancellationToken).ConfigureAwait(false);
                if (_leaving.Task.IsCompleted)
                {
                    return;
                }

                reason = "closed by the control plane";
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                reason = e.StatusCode + (e.Status.Detail.Length > 0 ? ": " + e.Status.Detail : "");
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or ObjectDisposedException)
            {
                reason = e.Message;
            }

            _connected = false;
            if (_leaving.Task.IsCompleted)
            {
                return;
            }

            var firstFailure = _backoff.Attempt == 0;
            var delay = _backoff.Next();
            var timeProvider = _options.TimeProvider;
            Interlocked.Exchange(ref _nextAttemptTicks, timeProvider.GetUtcNow().Add(delay).UtcTicks);
            if (firstFailure)
            {
                ProxyLog.DiscoveryDisconnected(_logger, reason, (long)delay.TotalMilliseconds);
            }
            else
            {
                ProxyLog.DiscoveryStillDisconnected(_logger, reason, (long)delay.TotalMilliseconds);
            }
            try
            {
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunStreamAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _streamsOpened);
        // The call ends on shutdown; a goodbye (LeaveAsync) ends it in an orderly way before that.
        using var call = _client.Stream(cancellationToken: cancellationToken);
        var requests = call.RequestStream;
        var responses = call.ResponseStream;

        var sentHealth = _health.Current;
        var hello = new DiscoveryRequest
        {
            Node = _node,
            AckedVersion = _store.Current.Version,
            Health = sentHealth,
        };
        var renewal = Task.CompletedTask;
        if (_certificates is not null)
        {
            renewal = RenewalAsync(hello, cancellationToken);
        }

        await requests.WriteAsync(hello, cancellationToken).ConfigureAwait(false);

        var next = responses.MoveNext(cancellationToken);
        var healthChanged = _health.WhenChanged;
        while (true)
        {
            var completed = await Task.WhenAny(next, healthChanged, renewal, _leaving.Task).ConfigureAwait(false);
            if (completed == _leaving.Task)
            {
                // The control plane answers the end of our side by ending its own.
                await requests.CompleteAsync().ConfigureAwait(false);
                while (await next.ConfigureAwait(false))
                {
                    next = responses.MoveNext(cancellationToken);
                }

                return;
            }

            if (completed == renewal)
            {
                var request = new DiscoveryRequest { AckedVersion = _store.Current.Version };
                renewal = RenewalAsync(request, cancellationToken);
                if (request.CertificateSigningRequest is not null)
                {
                    await requests.WriteAsync(request, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (completed == next)
            {
                if (!await next.ConfigureAwait(false))
                {
                    return;
                }

                if (IsCertificate(responses.Current, out var certificate))
                {
                    Install(certificate);
                    renewal = RenewalAsync(null, cancellationToken);
                    next = responses.MoveNext(cancellationToken);
                    continue;
                }

                if (!_connected)
                {
                    _connected = true;
                    Interlocked.Exchange(ref _nextAttemptTicks, 0);
                    _backoff.Reset();
                    ProxyLog.DiscoveryConnected(_logger, _options.DiscoveryAddress);
                }

                sentHealth = _health.Current;
                await requests.WriteAsync(Handle(responses.Current, sentHealth), cancellationToken).ConfigureAwait(false);
                next = responses.MoveNext(cancellationToken);
            }
            else
            {
                healthChanged = _health.WhenChanged;
                var health = _health.Current;
                if (health != sentHealth)
                {
                    sentHealth = health;
                    await requests.WriteAsync(new DiscoveryRequest
                    {
                        AckedVersion = _store.Current.Version,
                        Health = health,
                    }, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Attaches a signing request to <paramref name="request"/> when the certificate is due, and returns what
    /// to wait for before looking again: the due time, or the answer (with a timeout) to the request just attached.</summary>
    private Task RenewalAsync(DiscoveryRequest? request, CancellationToken cancellationToken)
    {
        var certificates = _certificates!;
        var time = _options.TimeProvider;
        var wait = certificates.RenewalDueAt - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            return Task.Delay(wait, time, cancellationToken);
        }

        if (request is null)
        {
            return Task.CompletedTask;
        }

        request.CertificateSigningRequest = certificates.CreateRequest();
        SecurityLog.CertificateRequested(_logger, request.CertificateSigningRequest.RequestId);
        return Task.WhenAny(certificates.WhenChanged, Task.Delay(CertificateRequestTimeout, time, cancellationToken));
    }

    private static bool IsCertificate(DiscoveryResponse response, out Certificate certificate)
    {
        if (response.Version.Length == 0 && response.Upserted.Count == 1 && response.Upserted[0].Certificate is { } answer)
        {
            certificate = answer;
            return true;
        }

        certificate = null!;
        return false;
    }

    private void Install(Certificate answer)
    {
        if (_certificates!.Accept(answer, out var error))
        {
            var current = _certificates.Current!;
            SecurityLog.CertificateInstalled(_logger, current.SpiffeId, current.Leaf.SerialNumber, current.NotAfter, current.RenewAt);
        }
        else
        {
            SecurityLog.CertificateRefused(_logger, error);
        }
    }

    /// <summary>Applies one response and returns the acknowledgement or rejection to send back.</summary>
    internal DiscoveryRequest Handle(DiscoveryResponse response, WorkloadHealth health)
    {
        var current = _store.Current;
        if (DeltaApplier.TryApply(current, response, out var resources, out var reason)
            && SnapshotBuilder.TryBuild(response.Version, resources, current, _options.Random, out var snapshot, out reason, _options.TimeProvider))
        {
            _store.Publish(snapshot);
            ProxyLog.ConfigApplied(_logger, snapshot.Version, resources.Count);
            return new DiscoveryRequest { AckedVersion = snapshot.Version, ResponseNonce = response.Nonce, Health = health };
        }

        ProxyLog.ConfigRejected(_logger, response.Version, reason, current.Version);
        return new DiscoveryRequest
        {
            AckedVersion = current.Version,
            ResponseNonce = response.Nonce,
            Health = health,
            Rejection = new Rejection { Version = response.Version, Reason = reason },
        };
    }

    public void Dispose() => _channel.Dispose();
}
