using System.Net;
using Heddle.Config.Model;
using Heddle.ControlPlane.Jwks;
using Heddle.ControlPlane.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Jwks;

/// <summary>Key sets named by URI are fetched by the control plane and inlined into the configuration it serves.</summary>
public sealed class JwksResolverTests : IAsyncLifetime
{
    private const string KeySet = """{"keys":[{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}]}""";
    private readonly FakeTimeProvider _time = new();
    private WebApplication _server = null!;
    private string _keySet = KeySet;
    private int _fetches;

    private string Uri { get; set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.MapGet("/jwks.json", () =>
        {
            Interlocked.Increment(ref _fetches);
            return Results.Text(_keySet, "application/json");
        });
        await _server.StartAsync();
        Uri = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/jwks.json";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ConfigSet Config(string? inlineKeys = null) => MeshConfig.Load(("jwt.yaml", $$"""
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt, namespace: default}
        spec:
          jwtRules:
          - issuer: "testing@secure.istio.io"
            jwksUri: "{{Uri}}"
        {{(inlineKeys is null ? "" : $"    jwks: '{inlineKeys}'")}}
        """));

    [Fact]
    public async Task Resolve_FetchesOnFirstSight_ThenInlinesTheKeys()
    {
        using var resolver = new JwksResolver(_time, NullLogger.Instance);
        var changed = new TaskCompletionSource();
        resolver.KeysChanged += () => changed.TrySetResult();
        var config = Config();

        Assert.Null(resolver.Resolve(config).RequestAuthentications[0].Spec.JwtRules[0].Jwks);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(KeySet, resolver.Resolve(config).RequestAuthentications[0].Spec.JwtRules[0].Jwks);
    }

    [Fact]
    public void Resolve_InlineKeys_WinAndNothingIsFetched()
    {
        using var resolver = new JwksResolver(_time, NullLogger.Instance);
        var inline = """{"keys":[]}""";

        var resolved = resolver.Resolve(Config(inline));

        Assert.Equal(inline, resolved.RequestAuthentications[0].Spec.JwtRules[0].Jwks);
        Assert.Equal(0, _fetches);
    }

    [Fact]
    public async Task Refresh_ChangedKeySet_IsFetchedAgainAndAnnounced()
    {
        using var resolver = new JwksResolver(_time, NullLogger.Instance);
        var changes = 0;
        var second = new TaskCompletionSource();
        resolver.KeysChanged += () =>
        {
            if (Interlocked.Increment(ref changes) == 2)
            {
                second.TrySetResult();
            }
        };
        var config = Config();
        resolver.Resolve(config);
        Assert.True(await Eventually.HoldsAsync(() => Volatile.Read(ref changes) == 1));

        _keySet = """{"keys":[]}""";
        _time.Advance(JwksResolver.RefreshInterval);
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(_keySet, resolver.Resolve(config).RequestAuthentications[0].Spec.JwtRules[0].Jwks);
    }
}
