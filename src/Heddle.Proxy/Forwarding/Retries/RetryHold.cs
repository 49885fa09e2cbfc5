namespace Heddle.Proxy.Forwarding.Retries;

/// <summary>
/// The mark a transformer leaves when it held back an upstream response because the route retries it: the response
/// never reached the client, so the next try starts from a clean one. The mark is a singleton feature: setting it
/// allocates nothing, and only tries that fail set it.
/// </summary>
internal sealed class RetryHold
{
    private static readonly RetryHold Instance = new();

    private RetryHold()
    {
    }

    public static void Mark(HttpContext context) => context.Features.Set(Instance);

    /// <summary>Whether the last try's response was held back; clears the mark.</summary>
    public static bool TakeMark(HttpContext context)
    {
        if (context.Features.Get<RetryHold>() is null)
        {
            return false;
        }

        context.Features.Set<RetryHold>(null);
        return true;
    }
}
