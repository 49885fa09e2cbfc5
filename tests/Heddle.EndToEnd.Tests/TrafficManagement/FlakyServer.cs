using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>
/// An upstream that fails on purpose and counts what it receives, per path: <c>/fail/...</c> always answers 503;
/// <c>/recover/N/...</c> answers 503 to the first N requests, then 200; <c>/reset/...</c> drops the connection without
/// answering.
/// </summary>
internal sealed class FlakyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _bodies = new(StringComparer.Ordinal);

    private FlakyServer(WebApplication app) => _app = app;

    public static async Task<FlakyServer> StartAsync(string address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(address), port));
        var app = builder.Build();
        var server = new FlakyServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>How many requests for <paramref name="path"/> arrived.</summary>
    public int Count(string path) => _bodies.TryGetValue(path, out var bodies) ? bodies.Count : 0;

    public string[] Bodies(string path) => _bodies.TryGetValue(path, out var bodies) ? [.. bodies] : [];

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        string body;
        using (var reader = new StreamReader(context.Request.Body))
        {
            body = await reader.ReadToEndAsync();
        }

        var bodies = _bodies.GetOrAdd(path, _ => new ConcurrentQueue<string>());
        bodies.Enqueue(body);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && segments[0] == "reset")
        {
            context.Abort();
            return;
        }

        var fail = segments.Length > 0 && segments[0] == "fail"
            || (segments.Length > 1 && segments[0] == "recover" && int.TryParse(segments[1], out var failures) && bodies.Count <= failures);
        context.Response.StatusCode = fail ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        await context.Response.WriteAsync(fail ? "failing on purpose" : "recovered");
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
