using System.Net;
using System.Net.Sockets;
using Heddle.Benchmarks.Runner.Processes;

namespace Heddle.Benchmarks.Runner.Topology;

/// <summary>Waits for a server to accept connections, and checks that an address is still free.</summary>
internal static class Listening
{
    public static async Task WaitAsync(IPEndPoint endpoint, ChildProcess owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (owner.HasExited)
            {
                throw new InvalidOperationException($"exited before listening on {endpoint}; log {owner.LogPath}:{Environment.NewLine}{owner.LogTail()}");
            }

            if (await AcceptsAsync(endpoint, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"nothing listens on {endpoint} after {timeout.TotalSeconds:0} s; log {owner.LogPath}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<bool> AcceptsAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Fails with a clear message when something (a previous run?) already listens where a case must.</summary>
    public static async Task EnsureFreeAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        if (await AcceptsAsync(endpoint, cancellationToken).ConfigureAwait(false))
        {
            List<int> owners = SocketOwners.FindListeners(endpoint.Address, endpoint.Port);
            string who = owners.Count == 0 ? "another process" : $"pid {string.Join(", ", owners)} ({ProcFs.CommandName(owners[0])})";
            throw new InvalidOperationException($"{endpoint} is already in use by {who}; is a previous benchmark still running?");
        }
    }
}
