namespace Heddle.EndToEnd.Tests.Support;

/// <summary>
/// Hands every mesh in this test run its own loopback /16 (127.60.0.0 to 127.119.0.0), so that meshes never share an
/// address; the starting point depends on the process id, so that two test runs on one machine rarely meet.
/// </summary>
internal static class LoopbackRanges
{
    private const int First = 60;
    private const int Count = 60;

    private static int _next = (Environment.ProcessId % (Count / 4)) * 4;

    public static string NextCidr() => $"127.{First + (Interlocked.Increment(ref _next) % Count)}.0.0/16";
}
