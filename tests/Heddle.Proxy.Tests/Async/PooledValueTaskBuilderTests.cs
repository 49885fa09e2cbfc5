using System.Runtime.CompilerServices;
using Heddle.Proxy.Async;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests.Async;

/// <summary>Async methods built with the pooled builder behave as any async method: results, exceptions and
/// AsyncLocal values arrive whether they complete at once or later, and boxes reused across calls keep calls apart.</summary>
public sealed class PooledValueTaskBuilderTests
{
    private static readonly AsyncLocal<string?> Flowing = new();

    [Fact]
    public async Task CompletedAtOnce_GivesItsResult_OrThrows()
    {
        Assert.Equal(42, await AddAsync(40, 2, Task.CompletedTask));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await FailAsync(Task.CompletedTask));
        await NothingAsync(Task.CompletedTask);
    }

    [Fact]
    public async Task CompletedLater_GivesItsResult_OrThrows()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sum = AddAsync(40, 2, gate.Task);
        var failure = FailAsync(gate.Task);
        var nothing = NothingAsync(gate.Task);
        Assert.False(sum.IsCompleted);

        gate.SetResult();

        Assert.Equal(42, await Eventually.Completes(sum));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Eventually.Completes(failure));
        await Eventually.Completes(nothing);
    }

    [Fact]
    public async Task ManyInFlight_ThenAgain_EachCallKeepsItsOwnResult()
    {
        for (var round = 0; round < 3; round++)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var calls = Enumerable.Range(0, 600).Select(i => AddAsync(i, round, gate.Task)).ToArray();

            gate.SetResult();

            for (var i = 0; i < calls.Length; i++)
            {
                Assert.Equal(i + round, await Eventually.Completes(calls[i]));
            }
        }
    }

    [Fact]
    public async Task AsyncLocal_FlowsIntoTheContinuation_AndChangesInsideStayInside()
    {
        Flowing.Value = "caller";
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = ReadFlowingAsync(gate.Task);

        _ = Task.Run(gate.SetResult);

        Assert.Equal("caller", await Eventually.Completes(seen));
        Assert.Equal("caller", Flowing.Value);
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> AddAsync(int a, int b, Task gate)
    {
        await gate;
        return a + b;
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<int> FailAsync(Task gate)
    {
        await gate;
        throw new InvalidOperationException("failed");
    }

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder))]
    private static async ValueTask NothingAsync(Task gate) => await gate;

    [AsyncMethodBuilder(typeof(PooledValueTaskBuilder<>))]
    private static async ValueTask<string?> ReadFlowingAsync(Task gate)
    {
        await gate;
        var seen = Flowing.Value;
        Flowing.Value = "inside";
        return seen;
    }
}
