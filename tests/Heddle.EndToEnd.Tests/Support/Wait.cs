namespace Heddle.EndToEnd.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes; tests never sleep for a fixed time to wait for something.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
            {
                last = e;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"waited {timeout.TotalSeconds:0}s for {what}" + (last is null ? "" : $"; last error: {last.Message}"));
    }
}
