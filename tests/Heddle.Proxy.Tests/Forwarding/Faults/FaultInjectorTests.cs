using Heddle.Discovery.V1;
using Heddle.Proxy.Forwarding.Faults;
using Heddle.Proxy.Routing.Actions;
using Heddle.Proxy.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Forwarding.Faults;

public sealed class FaultInjectorTests
{
    [Fact]
    public async Task Delay_WaitsOnTheInjectedClock_ThenForwards()
    {
        var time = new FakeTimeProvider();
        var injector = new FaultInjector(new Random(1), time);
        var fault = new FaultPolicy(new RouteFault { DelayMs = 7000, DelayPerMillion = 1_000_000 });

        var pending = injector.ApplyAsync(new DefaultHttpContext(), fault).AsTask();
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var (answered, flags) = await pending;

        Assert.False(answered);
        Assert.Equal(ResponseFlags.DelayInjected, flags);
    }

    [Fact]
    public async Task Abort_Http_AnswersStatusAndBody()
    {
        var injector = new FaultInjector(new Random(1), TimeProvider.System);
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        var (answered, flags) = await injector.ApplyAsync(context, new FaultPolicy(new RouteFault { AbortHttpStatus = 500, AbortPerMillion = 1_000_000 }));

        Assert.True(answered);
        Assert.Equal(ResponseFlags.FaultInjected, flags);
        Assert.Equal(500, context.Response.StatusCode);
        Assert.Equal("fault filter abort", System.Text.Encoding.ASCII.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Fact]
    public async Task Abort_AtTwentyPercent_HitsAboutOneRequestInFive()
    {
        var injector = new FaultInjector(new Random(42), TimeProvider.System);
        var fault = new FaultPolicy(new RouteFault { AbortHttpStatus = 503, AbortPerMillion = 200_000 });
        var aborted = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var context = new DefaultHttpContext();
            context.Response.Body = Stream.Null;
            if ((await injector.ApplyAsync(context, fault)).Answered)
            {
                aborted++;
            }
        }

        // 20% of 10,000 with a seeded random: the standard deviation is 40 requests.
        Assert.InRange(aborted, 1850, 2150);
    }

    [Fact]
    public void Policy_WithoutShare_InjectsNothing()
    {
        var fault = new FaultPolicy(new RouteFault { DelayMs = 1000, AbortHttpStatus = 503 });

        Assert.False(fault.HasDelay);
        Assert.False(fault.HasAbort);
    }
}
