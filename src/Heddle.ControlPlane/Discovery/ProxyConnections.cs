using System.Collections.Immutable;

namespace Heddle.ControlPlane.Discovery;

/// <summary>The open proxy streams, in the order they connected.</summary>
public sealed class ProxyConnections
{
    private readonly Lock _lock = new();
    private ImmutableList<ProxyConnection> _connections = [];

    public ImmutableList<ProxyConnection> All
    {
        get
        {
            lock (_lock)
            {
                return _connections;
            }
        }
    }

    public void Add(ProxyConnection connection)
    {
        lock (_lock)
        {
            _connections = _connections.Add(connection);
        }
    }

    public void Remove(ProxyConnection connection)
    {
        lock (_lock)
        {
            _connections = _connections.Remove(connection);
        }
    }
}
