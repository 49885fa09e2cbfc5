using Heddle.Proxy.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.Proxy.Tests.Sockets;

public sealed class BusySpellTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void BeforeAnyPass_TheLoopSleeps()
    {
        var spell = new BusySpell(_time, TimeSpan.FromMicroseconds(50));

        Assert.False(spell.Lasts);
    }

    [Fact]
    public void AfterAPass_TheLoopLooksAgainForTheSpellsLength()
    {
        var spell = new BusySpell(_time, TimeSpan.FromMicroseconds(50));

        spell.Start();
        Assert.True(spell.Lasts);
        _time.Advance(TimeSpan.FromMicroseconds(49));
        Assert.True(spell.Lasts);
        _time.Advance(TimeSpan.FromMicroseconds(1));

        Assert.False(spell.Lasts);
    }

    [Fact]
    public void EachPass_StartsTheSpellAgain()
    {
        var spell = new BusySpell(_time, TimeSpan.FromMicroseconds(50));
        spell.Start();
        _time.Advance(TimeSpan.FromMicroseconds(40));

        spell.Start();
        _time.Advance(TimeSpan.FromMicroseconds(40));

        Assert.True(spell.Lasts);
    }
}
