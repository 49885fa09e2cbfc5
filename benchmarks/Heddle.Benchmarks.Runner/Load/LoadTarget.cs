namespace Heddle.Benchmarks.Runner.Load;

/// <summary>Where the load generators send requests: a URL, optionally through an explicit HTTP proxy.</summary>
internal sealed record LoadTarget(Uri Url, Uri? ExplicitProxy = null)
{
    public override string ToString() => ExplicitProxy is null ? Url.ToString() : $"{Url} via proxy {ExplicitProxy}";
}
