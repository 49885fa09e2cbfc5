using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Heddle.EndToEnd.Tests.Support;

/// <summary>An HTTP server that is not part of any mesh, on 127.0.0.1 and a free port.</summary>
internal sealed class OutsideServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OutsideServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<OutsideServer> StartAsync(string answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/", () => answer);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OutsideServer(app, new Uri(address).Port);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
