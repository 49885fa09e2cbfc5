using Heddle.Proxy.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Sockets;

/// <summary>The loop looks for events without waiting for 50 µs after each pass, but only in the 5 ms after it woke
/// from a sleep of at least 1 ms (a burst on a lightly loaded sidecar); a busy loop, whose sleeps are short, never
/// does.</summary>
public sealed class BusySpellTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly BusySpell _spell;

    public BusySpellTests() =>
        _spell = new BusySpell(_time, TimeSpan.FromMicroseconds(50), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

    [Fact]
    public void BeforeAnySleep_APassStartsNoSpell()
    {
        _spell.PassEnded();

        Assert.False(_spell.Lasts);
    }

    [Fact]
    public void AfterALongSleep_EachPassLooksAgainForTheSpellsLength()
    {
        Sleep(TimeSpan.FromMilliseconds(15));

        _spell.PassEnded();
        Assert.True(_spell.Lasts);
        _time.Advance(TimeSpan.FromMicroseconds(49));
        Assert.True(_spell.Lasts);
        _time.Advance(TimeSpan.FromMicroseconds(1));

        Assert.False(_spell.Lasts);
    }

    [Fact]
    public void TheBurst_EndsFiveMillisecondsAfterTheLongSleep_ShortSleepsDoNotExtendIt()
    {
        Sleep(TimeSpan.FromMilliseconds(15));
        Sleep(TimeSpan.FromMicroseconds(500));
        _spell.PassEnded();
        Assert.True(_spell.Lasts);

        for (var i = 0; i < 9; i++)
        {
            Sleep(TimeSpan.FromMicroseconds(500));
        }

        _spell.PassEnded();
        Assert.False(_spell.Lasts);
    }

    [Fact]
    public void BusyLoop_WithOnlyShortSleeps_NeverLooksWithoutWaiting()
    {
        for (var i = 0; i < 100; i++)
        {
            Sleep(TimeSpan.FromMicroseconds(900));
            _spell.PassEnded();
            Assert.False(_spell.Lasts);
        }
    }

    private void Sleep(TimeSpan duration)
    {
        _spell.Sleeping();
        _time.Advance(duration);
        _spell.Woke();
    }
}
