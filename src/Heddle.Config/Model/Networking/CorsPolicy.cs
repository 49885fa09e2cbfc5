using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>Cross-origin resource sharing policy.</summary>
public sealed record CorsPolicy
{
    /// <summary>Deprecated exact origins; use <see cref="AllowOrigins"/>.</summary>
    [Deprecated("use allowOrigins with exact, prefix or regex")]
    public ImmutableArray<string> AllowOrigin { get; init; } = [];

    /// <summary>Origins allowed, as string matches.</summary>
    public ImmutableArray<StringMatch> AllowOrigins { get; init; } = [];

    /// <summary>Value of Access-Control-Allow-Methods.</summary>
    public ImmutableArray<string> AllowMethods { get; init; } = [];

    /// <summary>Value of Access-Control-Allow-Headers.</summary>
    public ImmutableArray<string> AllowHeaders { get; init; } = [];

    /// <summary>Value of Access-Control-Expose-Headers.</summary>
    public ImmutableArray<string> ExposeHeaders { get; init; } = [];

    /// <summary>Value of Access-Control-Max-Age.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Value of Access-Control-Allow-Credentials.</summary>
    public bool? AllowCredentials { get; init; }

    /// <summary>What to do with preflight requests whose origin is not allowed.</summary>
    public UnmatchedPreflights? UnmatchedPreflights { get; init; }
}
