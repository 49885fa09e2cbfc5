using System.Security.Cryptography;

namespace Heddle.Proxy.Telemetry;

/// <summary>
/// <c>x-request-id</c>, as Envoy keeps it: a request that arrives without one gets a random (version 4) UUID, which the
/// forwarded request, the access log and the trace all carry; one that has it keeps it.
/// </summary>
internal static class RequestId
{
    public const string Header = "x-request-id";

    private const int IdsPerFill = 64;

    // Each thread draws its UUIDs from its own block of cryptographically random bytes, refilled every 64 ids: one
    // system call per 64 requests instead of one per request.
    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_next;

    public static void Ensure(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers.ContainsKey(Header))
        {
            return;
        }

        headers[Header] = New().ToString();
    }

    /// <summary>A new random UUID (RFC 9562 version 4).</summary>
    public static Guid New()
    {
        var random = t_random ??= new byte[IdsPerFill * 16];
        if (t_next == 0)
        {
            RandomNumberGenerator.Fill(random);
        }

        Span<byte> bytes = stackalloc byte[16];
        random.AsSpan(t_next * 16, 16).CopyTo(bytes);
        t_next = (t_next + 1) % IdsPerFill;
        // Guid's byte order: the version is the high nibble of byte 7, the variant the top bits of byte 8.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
