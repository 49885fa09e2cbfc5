using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Heddle.Proxy.Async;

/// <summary>
/// The builder of the request path's async methods that return <see cref="ValueTask{TResult}"/>: like .NET's
/// <see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>, a method that completes asynchronously runs from a box
/// that is reused once its result was taken, but each method keeps up to <see cref="PooledBox{TResult, TStateMachine}.Capacity"/>
/// boxes rather than one per core and thread, so a sidecar with many requests in flight does not allocate one per request.
/// </summary>
internal struct PooledValueTaskBuilder<TResult>
{
    private IPooledBox<TResult>? _box;
    private TResult? _result;
    private Exception? _exception;

    public static PooledValueTaskBuilder<TResult> Create() => default;

    public readonly ValueTask<TResult> Task => _box is { } box
        ? box.Task
        : _exception is { } exception ? ValueTask.FromException<TResult>(exception) : new ValueTask<TResult>(_result!);

    internal readonly IPooledBox<TResult>? Box => _box;

    internal readonly Exception? Exception => _exception;

    /// <summary>Runs the method's synchronous part with the caller's execution context restored afterwards.</summary>
    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => AsyncValueTaskMethodBuilder.Create().Start(ref stateMachine);

    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void SetResult(TResult result)
    {
        if (_box is { } box)
        {
            box.SetResult(result);
        }
        else
        {
            _result = result;
        }
    }

    public void SetException(Exception exception)
    {
        if (_box is { } box)
        {
            box.SetException(exception);
        }
        else
        {
            _exception = exception;
        }
    }

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine => awaiter.OnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine => awaiter.UnsafeOnCompleted(BoxFor(ref stateMachine).MoveNextAction);

    /// <summary>The box the method continues from: at its first real await, one from the pool, into which the state
    /// machine (holding this builder, which by then knows its box) is copied.</summary>
    private PooledBox<TResult, TStateMachine> BoxFor<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (_box is PooledBox<TResult, TStateMachine> current)
        {
            current.Context = ExecutionContext.Capture();
            return current;
        }

        var box = PooledBox<TResult, TStateMachine>.Rent();
        _box = box;
        box.StateMachine = stateMachine;
        box.Context = ExecutionContext.Capture();
        return box;
    }
}

/// <summary>The builder of the request path's async methods that return <see cref="ValueTask"/> (see
/// <see cref="PooledValueTaskBuilder{TResult}"/>).</summary>
internal struct PooledValueTaskBuilder
{
    private PooledValueTaskBuilder<bool> _inner;

    public static PooledValueTaskBuilder Create() => default;

    public readonly ValueTask Task => _inner.Box is { } box
        ? box.VoidTask
        : _inner.Exception is { } exception ? ValueTask.FromException(exception) : default;

    public readonly void Start<TStateMachine>(ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine => _inner.Start(ref stateMachine);

    public readonly void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    public void SetResult() => _inner.SetResult(true);

    public void SetException(Exception exception) => _inner.SetException(exception);

    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion
        where TStateMachine : IAsyncStateMachine => _inner.AwaitOnCompleted(ref awaiter, ref stateMachine);

    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion
        where TStateMachine : IAsyncStateMachine => _inner.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);
}

/// <summary>What a builder needs of its box without knowing the state machine's type.</summary>
internal interface IPooledBox<TResult>
{
    ValueTask<TResult> Task { get; }

    ValueTask VoidTask { get; }

    void SetResult(TResult result);

    void SetException(Exception exception);
}

/// <summary>
/// One async method's state machine and result while it runs asynchronously. Its result is taken once (a
/// <see cref="ValueTask"/> is awaited once); then the box goes back to its method's pool.
/// </summary>
internal sealed class PooledBox<TResult, TStateMachine> : IPooledBox<TResult>, IValueTaskSource<TResult>, IValueTaskSource
    where TStateMachine : IAsyncStateMachine
{
    /// <summary>Boxes kept per method: more than the requests a sidecar usually has in flight at once.</summary>
    public const int Capacity = 256;

    private static readonly PooledBox<TResult, TStateMachine>?[] Pool = new PooledBox<TResult, TStateMachine>?[Capacity];
    private static readonly Lock PoolLock = new();
    private static readonly ContextCallback RunInContext = static state => ((PooledBox<TResult, TStateMachine>)state!).StateMachine.MoveNext();
    private static int s_pooled;

    public TStateMachine StateMachine = default!;
    public ExecutionContext? Context;
    private ManualResetValueTaskSourceCore<TResult> _core;

    private PooledBox() => MoveNextAction = MoveNext;

    public Action MoveNextAction { get; }

    public ValueTask<TResult> Task => new(this, _core.Version);

    public ValueTask VoidTask => new(this, _core.Version);

    public static PooledBox<TResult, TStateMachine> Rent()
    {
        lock (PoolLock)
        {
            if (s_pooled > 0)
            {
                var box = Pool[--s_pooled]!;
                Pool[s_pooled] = null;
                return box;
            }
        }

        return new PooledBox<TResult, TStateMachine>();
    }

    public void SetResult(TResult result) => _core.SetResult(result);

    public void SetException(Exception exception) => _core.SetException(exception);

    private void MoveNext()
    {
        if (Context is { } context)
        {
            ExecutionContext.Run(context, RunInContext, this);
        }
        else
        {
            StateMachine.MoveNext();
        }
    }

    private void ReturnToPool()
    {
        _core.Reset();
        StateMachine = default!;
        Context = null;
        lock (PoolLock)
        {
            if (s_pooled < Capacity)
            {
                Pool[s_pooled++] = this;
            }
        }
    }

    TResult IValueTaskSource<TResult>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            ReturnToPool();
        }
    }

    void IValueTaskSource.GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            ReturnToPool();
        }
    }

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
