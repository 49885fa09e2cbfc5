using Heddle.Proxy.Http1;

namespace Heddle.Proxy.Links;

/// <summary>
/// How a connection between sidecars becomes a <see cref="SidecarLink"/>: the client's first request is an HTTP/1.1
/// upgrade to <see cref="SidecarLink.Protocol"/>, which a sidecar that speaks it answers 101. Any other answer (a proxy
/// of an older version) leaves the client on one connection per kept-alive HTTP/1.1 connection, as before.
/// </summary>
internal static class LinkUpgrade
{
    public static ReadOnlyMemory<byte> Switching { get; } =
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: heddle-link/1\r\n\r\n"u8.ToArray();

    /// <summary>The client's upgrade request to <paramref name="hop"/>.</summary>
    public static byte[] Request(string hop) =>
        System.Text.Encoding.ASCII.GetBytes($"OPTIONS * HTTP/1.1\r\nHost: {hop}\r\nConnection: Upgrade\r\nUpgrade: {SidecarLink.Protocol}\r\n\r\n");

    /// <summary>Whether a request head asks for a link (<c>OPTIONS *</c> with <c>Upgrade: heddle-link/1</c>, no body).</summary>
    public static bool IsRequest(RequestHead head)
    {
        if (head.Method != "OPTIONS" || head.ContentLength > 0 || head.Chunked || !head.Slice(head.Target).SequenceEqual("*"))
        {
            return false;
        }

        var upgrade = head.Find(KnownHeader.Upgrade);
        return upgrade >= 0 && head.Value(upgrade).Trim().Equals(SidecarLink.Protocol, StringComparison.OrdinalIgnoreCase);
    }
}
