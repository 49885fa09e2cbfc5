namespace Heddle.Config.Model;

/// <summary>Handling of preflight requests that match no allowed origin.</summary>
public enum UnmatchedPreflights
{
    /// <summary>The default (forward).</summary>
    Unspecified,

    /// <summary>Forward the preflight to the upstream.</summary>
    Forward,

    /// <summary>Answer it without CORS headers.</summary>
    Ignore,
}
