namespace Heddle.Proxy.Routing.Actions;

/// <summary>Istio's <c>directResponse</c>: a fixed status and body answered by the proxy.</summary>
internal sealed class DirectResponseAction(int status, byte[] body)
{
    public int Status { get; } = status;

    public byte[] Body { get; } = body;
}
