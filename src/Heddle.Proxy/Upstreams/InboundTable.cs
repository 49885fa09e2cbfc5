namespace Heddle.Proxy.Upstreams;

/// <summary>The application ports the inbound listener accepts requests for.</summary>
internal sealed class InboundTable
{
    private readonly Dictionary<int, InboundTarget> _byPort;

    public InboundTable(string appAddress, Dictionary<int, InboundTarget> byPort)
    {
        AppAddress = appAddress;
        _byPort = byPort;
    }

    public static InboundTable Empty { get; } = new("", []);

    public string AppAddress { get; }

    public IEnumerable<InboundTarget> Targets => _byPort.Values;

    public InboundTarget? Find(int port) => _byPort.TryGetValue(port, out var target) ? target : null;
}
