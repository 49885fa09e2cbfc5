using System.Net;
using System.Net.Sockets;
using System.Text;
using Heddle.Discovery.V1;
using Heddle.Proxy.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Authorization;

/// <summary>The HTTP check request and how its answer decides, against a real socket server.</summary>
public sealed class ExternalAuthorizerTests : IDisposable
{
    private readonly TcpListener _server = new(IPAddress.Loopback, 0);
    private readonly FakeTimeProvider _time = new();

    public ExternalAuthorizerTests() => _server.Start();

    private string Address => "http://127.0.0.1:" + ((IPEndPoint)_server.LocalEndpoint).Port;

    public void Dispose() => _server.Dispose();

    private AuthorizationProvider Provider() => new()
    {
        Name = "ext",
        Address = Address,
        PathPrefix = "/check",
        TimeoutMs = 1000,
        IncludeRequestHeaders = { "x-ext-*" },
        AdditionalHeaders = { ["x-from"] = "mesh" },
        HeadersToUpstream = { "x-user" },
        HeadersToDownstream = { "x-reason" },
    };

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/items";
        context.Request.QueryString = new QueryString("?x=1");
        context.Request.Host = new HostString("httpbin:8000");
        context.Request.Headers["x-ext-authz"] = "allow";
        context.Request.Headers["x-secret"] = "not for the authorizer";
        context.Request.Headers["authorization"] = "Bearer t";
        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>Answers one check with <paramref name="response"/> and returns the request it received.</summary>
    private async Task<string> AnswerAsync(string response)
    {
        using var client = await _server.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
        return received.ToString();
    }

    [Fact]
    public async Task CheckAsync_Denied_AnswersWithTheAuthorizersStatusBodyAndNamedHeaders()
    {
        using var authorizer = new ExternalAuthorizer(_time, NullLogger.Instance);
        var context = Context();
        var answered = AnswerAsync("HTTP/1.1 401 Unauthorized\r\nx-reason: no\r\nx-other: 1\r\nContent-Length: 6\r\n\r\ndenied");

        var allowed = await authorizer.CheckAsync(context, ExternalAuthorizerConfig.Compile(Provider()));
        var check = await answered;

        Assert.False(allowed);
        Assert.StartsWith("POST /check/items?x=1 HTTP/1.1\r\n", check, StringComparison.Ordinal);
        Assert.Contains("Host: httpbin:8000\r\n", check, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-ext-authz: allow\r\n", check, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("authorization: Bearer t\r\n", check, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-from: mesh\r\n", check, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("x-secret", check, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("no", context.Response.Headers["x-reason"]);
        Assert.False(context.Response.Headers.ContainsKey("x-other"));
        Assert.Equal("denied", Encoding.ASCII.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Fact]
    public async Task CheckAsync_Ok_AllowsAndCopiesHeadersUpstream()
    {
        using var authorizer = new ExternalAuthorizer(_time, NullLogger.Instance);
        var context = Context();
        var answered = AnswerAsync("HTTP/1.1 200 OK\r\nx-user: alice\r\nContent-Length: 0\r\n\r\n");

        Assert.True(await authorizer.CheckAsync(context, ExternalAuthorizerConfig.Compile(Provider())));
        await answered;
        Assert.Equal("alice", context.Request.Headers["x-user"]);
    }

    [Fact]
    public async Task CheckAsync_AuthorizerSilent_AnswersStatusOnErrorAfterTheTimeout()
    {
        using var authorizer = new ExternalAuthorizer(_time, NullLogger.Instance);
        var context = Context();
        var provider = Provider();
        provider.StatusOnError = 503;
        using var silent = new CancellationTokenSource();
        var accepted = _server.AcceptTcpClientAsync(silent.Token).AsTask();

        var check = authorizer.CheckAsync(context, ExternalAuthorizerConfig.Compile(provider));
        using var client = await accepted;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!check.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Yield();
        }

        Assert.False(await check.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(503, context.Response.StatusCode);
    }

    [Fact]
    public async Task CheckAsync_Unreachable_FailOpenAllows_OtherwiseForbidden()
    {
        using var authorizer = new ExternalAuthorizer(_time, NullLogger.Instance);
        var provider = Provider();
        _server.Stop();

        var closed = Context();
        Assert.False(await authorizer.CheckAsync(closed, ExternalAuthorizerConfig.Compile(provider)));
        Assert.Equal(403, closed.Response.StatusCode);

        provider.FailOpen = true;
        Assert.True(await authorizer.CheckAsync(Context(), ExternalAuthorizerConfig.Compile(provider)));
    }
}
