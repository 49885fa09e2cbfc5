namespace Heddle.EndToEnd.Tests.Support;

/// <summary>Hands every mesh in this test run its own loopback /16, so that meshes never share an address.</summary>
internal static class LoopbackRanges
{
    private static int _next = 60;

    public static string NextCidr() => $"127.{Interlocked.Increment(ref _next)}.0.0/16";
}
