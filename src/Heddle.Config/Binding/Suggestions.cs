namespace Heddle.Config.Binding;

/// <summary>Finds the known name a misspelled one was probably meant to be.</summary>
internal static class Suggestions
{
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        int threshold = Math.Max(2, name.Length / 3);
        foreach (string candidate in candidates)
        {
            int distance = Distance(name, candidate);
            // "retry" for "retries": a long shared beginning is as telling as a small edit distance.
            bool similar = distance <= threshold || CommonPrefix(name, candidate) >= 4;
            if (similar && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int CommonPrefix(string a, string b)
    {
        int length = 0;
        while (length < a.Length && length < b.Length && char.ToLowerInvariant(a[length]) == char.ToLowerInvariant(b[length]))
        {
            length++;
        }
        return length;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
