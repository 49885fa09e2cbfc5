using Grpc.Core;

namespace Heddle.ControlPlane.Security;

/// <summary>Lets several tasks write to one gRPC response stream, one message at a time (gRPC allows a single pending
/// write): configuration pushes and certificate answers share the discovery stream.</summary>
public sealed class SerializedStreamWriter<T>(IServerStreamWriter<T> inner) : IServerStreamWriter<T>
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public async Task WriteAsync(T message) => await WriteAsync(message, CancellationToken.None).ConfigureAwait(false);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
