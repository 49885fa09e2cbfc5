using System.Runtime.InteropServices;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Turns Ctrl-C, SIGTERM and SIGHUP into a cancellation token, so that a long-running command stops in order
/// instead of dying mid-way. A second signal while stopping calls <see cref="Forced"/>.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _count;

    public ShutdownSignals()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    public CancellationToken Token => _stopping.Token;

    /// <summary>The signal that asked to stop, once one did.</summary>
    public PosixSignal? Received { get; private set; }

    /// <summary>Called on the second signal: the user insists, stop without waiting.</summary>
    public event Action? Forced;

    /// <summary>Stops as if a signal had arrived (for example when startup failed).</summary>
    public void Stop() => _stopping.Cancel();

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Received ??= context.Signal;
        if (Interlocked.Increment(ref _count) == 1)
        {
            _stopping.Cancel();
        }
        else
        {
            Forced?.Invoke();
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
    }
}
