using Heddle.ControlPlane.Snapshots;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Snapshots;

public sealed class PortProtocolsTests
{
    [Theory]
    [InlineData("grpc", Protocol.Grpc)]
    [InlineData("grpc-web", Protocol.Grpc)]
    [InlineData("http2-api", Protocol.Http2)]
    [InlineData("tcp-db", Protocol.Tcp)]
    [InlineData("https", Protocol.Tcp)]
    [InlineData("http", Protocol.Http)]
    [InlineData("web", Protocol.Http)]
    [InlineData(null, Protocol.Http)]
    public void FromName_IstioPortNaming_PicksProtocol(string? name, Protocol expected) =>
        Assert.Equal(expected, PortProtocols.FromName(name));

    [Fact]
    public void Select_AppProtocolSet_WinsOverName() =>
        Assert.Equal(Protocol.Http2, PortProtocols.Select("kubernetes.io/h2c", "http"));

    [Fact]
    public void Select_NoAppProtocol_UsesName() =>
        Assert.Equal(Protocol.Grpc, PortProtocols.Select(null, "grpc-api"));
}
