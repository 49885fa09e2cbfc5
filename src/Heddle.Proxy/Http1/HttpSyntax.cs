using System.Buffers;
using System.Text;

namespace Heddle.Proxy.Http1;

/// <summary>The character classes of RFC 9110/9112 and the header names the lean path recognises.</summary>
internal static class HttpSyntax
{
    /// <summary>tchar: the characters of a method or a field name.</summary>
    private static readonly SearchValues<byte> TokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    public static bool IsToken(ReadOnlySpan<byte> value) => value.Length > 0 && !value.ContainsAnyExcept(TokenChars);

    /// <summary>A field value: visible characters, obs-text, space and tab; no other control character.</summary>
    public static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A request target: visible ASCII only (no space, control or non-ASCII byte).</summary>
    public static bool IsTarget(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b <= 0x20 || b >= 0x7F)
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value, out int leading)
    {
        leading = 0;
        while (leading < value.Length && value[leading] is (byte)' ' or (byte)'\t')
        {
            leading++;
        }

        var end = value.Length;
        while (end > leading && value[end - 1] is (byte)' ' or (byte)'\t')
        {
            end--;
        }

        return value[leading..end];
    }

    /// <summary>Non-negative decimal digits only, without overflow.</summary>
    public static bool TryParseLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            length = (length * 10) + (b - '0');
        }

        return true;
    }

    /// <summary>Whether a comma-separated field value lists <paramref name="token"/> (case-insensitive).</summary>
    public static bool ListContains(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var item = TrimWhitespace(comma < 0 ? value : value[..comma], out _);
            if (Ascii.EqualsIgnoreCase(item, token))
            {
                return true;
            }

            value = comma < 0 ? default : value[(comma + 1)..];
        }

        return false;
    }

    public static KnownHeader Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when Ascii.EqualsIgnoreCase(name, "te"u8) => KnownHeader.Te,
        4 when Ascii.EqualsIgnoreCase(name, "host"u8) => KnownHeader.Host,
        6 when Ascii.EqualsIgnoreCase(name, "expect"u8) => KnownHeader.Expect,
        7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8) => KnownHeader.Upgrade,
        7 when Ascii.EqualsIgnoreCase(name, "trailer"u8) => KnownHeader.Trailer,
        10 when Ascii.EqualsIgnoreCase(name, "connection"u8) => KnownHeader.Connection,
        10 when Ascii.EqualsIgnoreCase(name, "keep-alive"u8) => KnownHeader.KeepAlive,
        10 when Ascii.EqualsIgnoreCase(name, "user-agent"u8) => KnownHeader.UserAgent,
        11 when Ascii.EqualsIgnoreCase(name, "traceparent"u8) => KnownHeader.TraceParent,
        11 when Ascii.EqualsIgnoreCase(name, "grpc-status"u8) => KnownHeader.GrpcStatus,
        12 when Ascii.EqualsIgnoreCase(name, "content-type"u8) => KnownHeader.ContentType,
        12 when Ascii.EqualsIgnoreCase(name, "x-request-id"u8) => KnownHeader.RequestId,
        13 when Ascii.EqualsIgnoreCase(name, "authorization"u8) => KnownHeader.Authorization,
        14 when Ascii.EqualsIgnoreCase(name, "content-length"u8) => KnownHeader.ContentLength,
        14 when Ascii.EqualsIgnoreCase(name, "http2-settings"u8) => KnownHeader.Http2Settings,
        15 when Ascii.EqualsIgnoreCase(name, "x-forwarded-for"u8) => KnownHeader.ForwardedFor,
        16 when Ascii.EqualsIgnoreCase(name, "proxy-connection"u8) => KnownHeader.ProxyConnection,
        17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) => KnownHeader.TransferEncoding,
        18 when Ascii.EqualsIgnoreCase(name, "proxy-authenticate"u8) => KnownHeader.ProxyAuthenticate,
        19 when Ascii.EqualsIgnoreCase(name, "proxy-authorization"u8) => KnownHeader.ProxyAuthorization,
        21 when Ascii.EqualsIgnoreCase(name, "x-heddle-inbound-port"u8) => KnownHeader.InboundPort,
        22 when Ascii.EqualsIgnoreCase(name, "x-heddle-peer-metadata"u8) => KnownHeader.PeerMetadata,
        23 when Ascii.EqualsIgnoreCase(name, "x-forwarded-client-cert"u8) => KnownHeader.ForwardedClientCert,
        _ => KnownHeader.None,
    };

    /// <summary>Fields that describe one connection and are never forwarded (the hop-by-hop set of RFC 9110 section 7.6.1,
    /// plus the proxy's own mesh headers, which only the proxy sets).</summary>
    public static bool IsHopByHop(KnownHeader known) => known is KnownHeader.Connection or KnownHeader.KeepAlive or KnownHeader.ProxyConnection
        or KnownHeader.Upgrade or KnownHeader.Te or KnownHeader.Trailer or KnownHeader.TransferEncoding or KnownHeader.ProxyAuthorization
        or KnownHeader.ProxyAuthenticate or KnownHeader.Http2Settings;
}
