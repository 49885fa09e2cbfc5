using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>Waits for the access-log line a sidecar wrote for a request.</summary>
internal static class AccessLogLines
{
    public static Task<string> WaitAsync(LocalMesh mesh, string sidecar, string contains) =>
        mesh.Output.WaitForLineAsync(
            l => l.Contains(sidecar + "/proxy", StringComparison.Ordinal) && l.Contains(contains, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            $"an access-log line of {sidecar} with '{contains}'");

    /// <summary>A path no other request of the run uses, so that its log lines and counts are its own.</summary>
    public static string Unique(string prefix) => $"{prefix}/{Guid.NewGuid():N}";
}
