using System.Net;
using System.Text;
using Heddle.Discovery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>
/// A real HTTP application behind the proxies. It answers every request with what it saw, one "key=value" per line:
/// server (its name), protocol, host, path, and the mesh header if one reached it.
/// </summary>
internal sealed class HttpUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private HttpUpstream(WebApplication app, string name, IPEndPoint endpoint)
    {
        _app = app;
        Name = name;
        Endpoint = endpoint;
    }

    public string Name { get; }

    public IPEndPoint Endpoint { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<HttpUpstream> StartAsync(IPAddress address, int port, string name, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port, listen => listen.Protocols = protocols));
        var app = builder.Build();
        var upstream = new HttpUpstream(app, name, new IPEndPoint(address, port));
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        return upstream;
    }

    public static Dictionary<string, string> Parse(string body) =>
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        if (request.Path.StartsWithSegments("/slow"))
        {
            // Answers only after the test is long over (or the caller gives up).
            await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted).ContinueWith(_ => { });
        }

        using var reader = new StreamReader(request.Body);
        var requestBody = await reader.ReadToEndAsync();
        var text = new StringBuilder()
            .Append("server=").Append(Name).Append('\n')
            .Append("protocol=").Append(request.Protocol).Append('\n')
            .Append("host=").Append(request.Host.Value).Append('\n')
            .Append("path=").Append(request.Path.Value).Append(request.QueryString.Value).Append('\n')
            .Append("method=").Append(request.Method).Append('\n')
            .Append("inbound-port=").Append(request.Headers[MeshHeaders.InboundPort].ToString()).Append('\n')
            .Append("peer-metadata=").Append(request.Headers[MeshHeaders.PeerMetadata].ToString()).Append('\n')
            .Append("x-custom=").Append(request.Headers["x-custom"].ToString()).Append('\n')
            .Append("body=").Append(requestBody).Append('\n')
            .ToString();
        context.Response.ContentType = "text/plain";
        context.Response.Headers["x-upstream"] = Name;
        await context.Response.WriteAsync(text);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
