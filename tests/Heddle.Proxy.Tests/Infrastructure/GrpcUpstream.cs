using System.Net;
using Grpc.Core;
using Heddle.Proxy.Tests.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>A real gRPC application (h2c) with unary and server-streaming calls that also send trailers.</summary>
internal sealed class GrpcUpstream : IAsyncDisposable
{
    public const string TrailerName = "x-echo-trailer";

    private readonly WebApplication _app;

    private GrpcUpstream(WebApplication app) => _app = app;

    public static async Task<GrpcUpstream> StartAsync(IPAddress address, int port, string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new EchoService(name));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync();
        return new GrpcUpstream(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class EchoService(string name) : Echo.EchoBase
    {
        public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context)
        {
            if (request.FailWith != 0)
            {
                throw new RpcException(new Status((StatusCode)request.FailWith, request.Text));
            }

            context.ResponseTrailers.Add(TrailerName, name);
            return Task.FromResult(new EchoReply { Text = request.Text, Server = name, Authority = context.Host });
        }

        public override async Task Count(CountRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
        {
            for (var i = 1; i <= request.To; i++)
            {
                await responseStream.WriteAsync(new EchoReply { Text = i.ToString(), Server = name, Authority = context.Host });
            }

            context.ResponseTrailers.Add(TrailerName, name);
        }
    }
}
