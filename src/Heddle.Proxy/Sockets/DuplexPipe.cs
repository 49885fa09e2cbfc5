using System.IO.Pipelines;

namespace Heddle.Proxy.Sockets;

/// <summary>A reader and a writer as a connection's transport.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
