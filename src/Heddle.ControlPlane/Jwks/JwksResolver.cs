using System.Collections.Concurrent;
using System.Collections.Immutable;
using Heddle.Config.Model;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane.Jwks;

/// <summary>
/// Fetches the key sets that RequestAuthentications name by <c>jwksUri</c> and writes them into the configuration
/// served, so that proxies receive keys inline and never fetch them. A key set is fetched when first named and
/// refreshed every <see cref="RefreshInterval"/>; a fetched change raises <see cref="KeysChanged"/>.
/// </summary>
public sealed class JwksResolver : IDisposable
{
    /// <summary>How often known key sets are fetched again (Istio's default refresh).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(20);

    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly ITimer _refresh;
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _fetching = new(StringComparer.Ordinal);

    public JwksResolver(TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }) { Timeout = FetchTimeout };
        _logger = logger;
        _refresh = time.CreateTimer(static state => ((JwksResolver)state!).RefreshAll(), this, RefreshInterval, RefreshInterval);
    }

    /// <summary>Raised when a key set was fetched for the first time or changed.</summary>
    public event Action? KeysChanged;

    /// <summary>The configuration with every fetched key set inlined into the JWT rules that name it by URI (an inline
    /// <c>jwks</c> wins, as in Istio). URIs not fetched yet are fetched in the background.</summary>
    public ConfigSet Resolve(ConfigSet config)
    {
        if (config.RequestAuthentications.IsEmpty)
        {
            return config;
        }

        var resolved = ImmutableArray.CreateBuilder<RequestAuthentication>(config.RequestAuthentications.Length);
        foreach (var authentication in config.RequestAuthentications)
        {
            var rules = authentication.Spec.JwtRules;
            var changed = false;
            var builder = rules.ToBuilder();
            for (var i = 0; i < builder.Count; i++)
            {
                if (builder[i] is not { Jwks: null, JwksUri: { } uri } rule)
                {
                    continue;
                }

                if (_keys.TryGetValue(uri, out var keys))
                {
                    builder[i] = rule with { Jwks = keys };
                    changed = true;
                }
                else
                {
                    StartFetch(uri);
                }
            }

            resolved.Add(changed ? authentication with { Spec = authentication.Spec with { JwtRules = builder.ToImmutable() } } : authentication);
        }

        return config with { RequestAuthentications = resolved.MoveToImmutable() };
    }

    private void StartFetch(string uri)
    {
        if (_fetching.TryAdd(uri, 0))
        {
            _ = FetchAsync(uri);
        }
    }

    private async Task FetchAsync(string uri)
    {
        try
        {
            var keys = await _http.GetStringAsync(new Uri(uri)).ConfigureAwait(false);
            if (!_keys.TryGetValue(uri, out var previous) || previous != keys)
            {
                _keys[uri] = keys;
                Log.JwksFetched(_logger, uri);
                KeysChanged?.Invoke();
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            Log.JwksFetchFailed(_logger, uri, e.Message);
        }
        finally
        {
            _fetching.TryRemove(uri, out _);
        }
    }

    private void RefreshAll()
    {
        foreach (var uri in _keys.Keys)
        {
            StartFetch(uri);
        }
    }

    public void Dispose()
    {
        _refresh.Dispose();
        _http.Dispose();
    }
}
