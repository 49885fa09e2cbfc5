using System.Net;
using Heddle.Benchmarks.Runner.Topology;

namespace Heddle.Benchmarks.Runner.Load;

/// <summary>Checks that a topology answers like the upstream (200 and the 1,024-byte body) before load is sent through it.</summary>
internal static class Verifier
{
    public static async Task VerifyAsync(LoadTarget target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using HttpClient client = Http.CreateClient(TimeSpan.FromSeconds(5), target.ExplicitProxy);
        DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
        string lastProblem = "no attempt";
        while (DateTimeOffset.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using HttpResponseMessage response = await client.GetAsync(target.Url, cancellationToken).ConfigureAwait(false);
                byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK && body.Length == ResponseBody.Length)
                {
                    return;
                }

                lastProblem = $"HTTP {(int)response.StatusCode} with a {body.Length}-byte body (expected 200 with {ResponseBody.Length} bytes)";
            }
            catch (HttpRequestException e)
            {
                lastProblem = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastProblem = "request timed out";
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{target} does not answer like the upstream after {timeout.TotalSeconds:0} s: {lastProblem}");
    }
}
