using Grpc.Core;
using Heddle.EndToEnd.Tests.Echo;

namespace Heddle.EndToEnd.Tests.Support;

/// <summary>The gRPC service behind the grpc-echo pod: unary, server streaming and client streaming, with trailers.</summary>
internal sealed class EchoService : Echo.Echo.EchoBase
{
    public override Task<EchoReply> Say(EchoRequest request, ServerCallContext context)
    {
        context.ResponseTrailers.Add("echo-trailer", "said");
        return Task.FromResult(new EchoReply { Text = request.Text, ServedBy = "grpc-echo" });
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (int i = 1; i <= request.To; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ServedBy = "grpc-echo" });
        }
    }

    public override async Task<EchoReply> Collect(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var all = new List<string>();
        await foreach (var r in requestStream.ReadAllAsync())
        {
            all.Add(r.Text);
        }

        if (all.Contains("fail"))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "asked to fail"));
        }

        return new EchoReply { Text = string.Join(",", all), ServedBy = "grpc-echo" };
    }
}
