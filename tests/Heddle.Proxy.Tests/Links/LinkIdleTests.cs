using System.IO.Pipelines;
using Heddle.Proxy.Links;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Links;

/// <summary>
/// The client side closes a link that went quiet for a whole check period while the server serves none of its
/// streams, and keeps one whose streams the server still serves.
/// </summary>
public sealed class LinkIdleTests : IAsyncLifetime
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly FakeTimeProvider _time = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SidecarLink _client = null!;
    private SidecarLink _server = null!;
    private bool _serverHoldsStreams;

    public Task InitializeAsync()
    {
        _client = new SidecarLink(_toClient.Reader, _toServer.Writer, accept: null, owner: null, idleTime: _time);
        _server = new SidecarLink(_toServer.Reader, _toClient.Writer, _ => _serverHoldsStreams ? _release.Task : Task.CompletedTask, owner: null);
        _ = _client.RunAsync();
        _ = _server.RunAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        _client.Break();
        await _toServer.Writer.CompleteAsync();
        await _toClient.Writer.CompleteAsync();
    }

    [Fact]
    public async Task QuietLink_WhoseStreamsTheServerClosed_ClosesAfterAWholeQuietPeriod()
    {
        var pooled = _client.Open()!;
        await Eventually.WaitAsync(() => pooled.IsRemoteClosed, "the server to close the stream");

        _time.Advance(SidecarLink.IdlePeriod);
        Assert.False(_client.IsBroken, "the close arrived within this period");
        _time.Advance(SidecarLink.IdlePeriod);

        Assert.True(_client.IsBroken);
    }

    [Fact]
    public async Task QuietLink_WithAStreamTheServerStillServes_StaysOpen()
    {
        _serverHoldsStreams = true;
        var stream = _client.Open()!;
        await stream.WriteAsync("x"u8.ToArray());

        _time.Advance(SidecarLink.IdlePeriod * 3);

        Assert.False(_client.IsBroken);
        Assert.NotNull(_client.Open());
    }
}
