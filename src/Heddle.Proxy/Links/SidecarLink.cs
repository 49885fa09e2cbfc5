using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Heddle.Proxy.Security;
using Heddle.Proxy.Sockets;

namespace Heddle.Proxy.Links;

/// <summary>
/// One connection between two sidecars (plaintext or mutual TLS) that carries many <see cref="LinkStream"/>s, each a
/// virtual connection for kept-alive HTTP/1.1. The client side opens streams; the server side serves each as a
/// connection of its inbound listener. What the streams write is framed into one buffer that leaves in one write once
/// the event loop has handled the events of its current wait, so requests (and responses) that are ready together
/// share a system call, a TLS record and a wake-up of the peer instead of costing one each.
/// </summary>
internal sealed class SidecarLink : IAfterEvents
{
    /// <summary>The protocol name in the HTTP/1.1 upgrade that opens a link.</summary>
    public const string Protocol = "heddle-link/1";

    /// <summary>Streams the server side serves at once on one link; it refuses more.</summary>
    public const int MaxStreams = 4096;

    private const int InitialOutput = 16 * 1024;

    /// <summary>The payload of a Close frame that refuses a stream unserved.</summary>
    private const byte RefusedCode = 1;

    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IDisposable? _owner;
    private readonly Func<LinkStream, Task>? _accept;
    private readonly Dictionary<uint, LinkStream> _streams = [];
    private readonly Lock _streamsLock = new();
    private readonly Lock _outputLock = new();
    private readonly List<Task> _served = [];
    private uint _lastId;
    private bool _goingAway;
    private volatile bool _broken;
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(InitialOutput);
    private byte[] _spare = ArrayPool<byte>.Shared.Rent(InitialOutput);
    private int _pendingLength;
    private bool _flushScheduled;
    private bool _flushing;
    private bool _outputCompleted;
    private readonly ITimer? _idleTimer;
    private int _activity;

    /// <param name="input">The connection's bytes from the peer.</param>
    /// <param name="output">The connection's bytes to the peer.</param>
    /// <param name="accept">The server side: serves a stream the peer opened (null on the client side).</param>
    /// <param name="owner">Disposed when the link ends (the client side's socket and stream).</param>
    /// <param name="idleTime">The client side: checks every <see cref="IdlePeriod"/> whether the link is idle (see
    /// <see cref="CheckIdle"/>); null: never.</param>
    public SidecarLink(PipeReader input, PipeWriter output, Func<LinkStream, Task>? accept, IDisposable? owner, TimeProvider? idleTime = null)
    {
        _input = input;
        _output = output;
        _accept = accept;
        _owner = owner;
        _idleTimer = idleTime?.CreateTimer(static state => ((SidecarLink)state!).CheckIdle(), this, IdlePeriod, IdlePeriod);
    }

    /// <summary>How often the client side looks whether its link went idle.</summary>
    public static readonly TimeSpan IdlePeriod = TimeSpan.FromMinutes(1);

    /// <summary>Whether sidecars connect to each other over links (<c>HEDDLE_SIDECAR_LINKS=0</c>: one TCP connection per
    /// kept-alive HTTP/1.1 connection instead).</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("HEDDLE_SIDECAR_LINKS") != "0";

    /// <summary>The TLS the client side secured the link with (null: plaintext).</summary>
    public ClientTls? Tls { get; init; }

    /// <summary>New streams may be opened: the link works and the server has not asked for no more.</summary>
    public bool IsUsable
    {
        get
        {
            lock (_streamsLock)
            {
                return !_broken && !_goingAway;
            }
        }
    }

    public bool IsBroken => _broken;

    public int StreamCount
    {
        get
        {
            lock (_streamsLock)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>The client side: a new stream, or null when the link takes no more.</summary>
    public LinkStream? Open()
    {
        LinkStream stream;
        lock (_streamsLock)
        {
            if (_broken || _goingAway)
            {
                return null;
            }

            if (_lastId == int.MaxValue)
            {
                _goingAway = true;
                return null;
            }

            stream = new LinkStream(this, ++_lastId);
            _streams.Add(stream.Id, stream);

            // Written under the same lock as the id is taken: the server sees streams open in the order of their ids.
            Write(LinkFrameType.Open, stream.Id, default);
        }

        ScheduleFlush();
        return stream;
    }

    /// <summary>The server side: no more streams; the client opens its next ones elsewhere.</summary>
    public void GoAway()
    {
        lock (_streamsLock)
        {
            if (_goingAway || _broken)
            {
                return;
            }

            _goingAway = true;
        }

        Append(LinkFrameType.GoAway, 0, default);
    }

    /// <summary>The client side: no more streams from here; the link closes once the open ones are closed.</summary>
    public void Retire()
    {
        lock (_streamsLock)
        {
            _goingAway = true;
        }

        CloseIfSpent();
    }

    /// <summary>Reads frames until the connection ends or breaks; then every stream ends, and on the server side the
    /// streams' connections finish before this completes.</summary>
    public async Task RunAsync()
    {
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (LinkFrame.TryRead(ref buffer, out var type, out var id, out var payload))
                    {
                        _activity = 1;
                        Dispatch(type, id, payload);
                    }
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ObjectDisposedException or InvalidOperationException or OperationCanceledException
            or Microsoft.AspNetCore.Connections.ConnectionResetException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
        }
        finally
        {
            Break();
            if (_accept is null)
            {
                await _input.CompleteAsync().ConfigureAwait(false);
            }
        }

        Task[] served;
        lock (_streamsLock)
        {
            served = [.. _served];
        }

        await Task.WhenAll(served).ConfigureAwait(false);

        // The server side's connection belongs to its listener, which completes it once this returns: the last flush
        // (it ends quickly once the link is broken) must be done with it first.
        for (var i = 0; i < 1000 && Volatile.Read(ref _flushing); i++)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private void Dispatch(LinkFrameType type, uint id, ReadOnlySequence<byte> payload)
    {
        switch (type)
        {
            case LinkFrameType.Data:
                Find(id)?.OnData(payload);
                break;
            case LinkFrameType.Window:
                if (payload.Length != 4)
                {
                    throw new InvalidDataException("sidecar link: a window frame carries 4 bytes");
                }

                Span<byte> bytes = stackalloc byte[4];
                payload.CopyTo(bytes);
                var increment = BinaryPrimitives.ReadInt32BigEndian(bytes);
                if (increment <= 0)
                {
                    throw new InvalidDataException("sidecar link: a window frame must grant bytes");
                }

                Find(id)?.OnWindow(increment);
                break;
            case LinkFrameType.Close:
                OnRemoteClose(id, refused: payload.Length == 1 && payload.FirstSpan[0] == RefusedCode);
                break;
            case LinkFrameType.Open:
                Accept(id);
                break;
            case LinkFrameType.GoAway:
                lock (_streamsLock)
                {
                    _goingAway = true;
                }

                CloseIfSpent();
                break;
        }
    }

    private LinkStream? Find(uint id)
    {
        lock (_streamsLock)
        {
            return _streams.GetValueOrDefault(id);
        }
    }

    private void Accept(uint id)
    {
        if (_accept is null)
        {
            throw new InvalidDataException("sidecar link: only the client side opens streams");
        }

        LinkStream? stream = null;
        lock (_streamsLock)
        {
            if (id <= _lastId)
            {
                throw new InvalidDataException($"sidecar link: stream {id} was opened before");
            }

            _lastId = id;
            if (!_goingAway && _streams.Count < MaxStreams)
            {
                stream = new LinkStream(this, id);
                _streams.Add(id, stream);
            }
        }

        if (stream is null)
        {
            // Draining, or as many streams as a link serves: refused at once, unserved; the client tries elsewhere.
            Append(LinkFrameType.Close, id, [RefusedCode]);
            return;
        }

        var served = ServeAsync(stream);
        if (!served.IsCompleted)
        {
            lock (_streamsLock)
            {
                _served.Add(served);
            }

            served.ContinueWith(
                static (task, state) =>
                {
                    var link = (SidecarLink)state!;
                    lock (link._streamsLock)
                    {
                        link._served.Remove(task);
                    }
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(LinkStream stream)
    {
        try
        {
            await _accept!(stream).ConfigureAwait(false);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnRemoteClose(uint id, bool refused)
    {
        LinkStream? stream;
        lock (_streamsLock)
        {
            stream = _streams.GetValueOrDefault(id);
            if (stream is null)
            {
                return;
            }
        }

        stream.OnEnded(broken: false, refused);
        if (stream.IsClosed)
        {
            lock (_streamsLock)
            {
                _streams.Remove(id);
            }
        }

        CloseIfSpent();
    }

    /// <summary>This side closed <paramref name="stream"/>: the peer is told, and the stream is forgotten once both
    /// sides have closed it.</summary>
    internal void OnStreamClosed(LinkStream stream)
    {
        bool forget;
        lock (_streamsLock)
        {
            forget = stream.IsRemoteClosed && _streams.Remove(stream.Id);
        }

        if (!_broken)
        {
            Append(LinkFrameType.Close, stream.Id, default);
        }

        if (forget)
        {
            CloseIfSpent();
        }
    }

    /// <summary>The client side of a link the server no longer takes closes once every stream left on it is closed by
    /// the server (streams idle in a pool count: they can carry nothing more), so a draining server is not kept waiting.</summary>
    private void CloseIfSpent()
    {
        if (_accept is not null)
        {
            return;
        }

        bool spent;
        lock (_streamsLock)
        {
            spent = _goingAway && !_broken && OnlyServerClosedStreams();
        }

        if (spent)
        {
            Break();
        }
    }

    /// <summary>Under the streams lock: the server serves none of this link's streams (or there are none).</summary>
    private bool OnlyServerClosedStreams()
    {
        foreach (var stream in _streams.Values)
        {
            if (!stream.IsRemoteClosed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The client side, every <see cref="IdlePeriod"/>: a link that carried no frame since the last look and
    /// holds no stream the server still serves (its streams idle past the server's keep-alive timeout were closed by
    /// it, or there are none) closes, so a sidecar keeps no connection to every peer it ever called.</summary>
    internal void CheckIdle()
    {
        if (Interlocked.Exchange(ref _activity, 0) != 0)
        {
            return;
        }

        lock (_streamsLock)
        {
            if (!OnlyServerClosedStreams())
            {
                return;
            }
        }

        Break();
    }

    internal void SendData(LinkStream stream, ReadOnlySpan<byte> data)
    {
        _activity = 1;
        lock (_outputLock)
        {
            if (_broken)
            {
                return;
            }

            while (!data.IsEmpty)
            {
                var take = Math.Min(data.Length, LinkFrame.MaxPayload);
                var span = Reserve(LinkFrame.HeaderSize + take);
                LinkFrame.WriteHeader(span, LinkFrameType.Data, stream.Id, take);
                data[..take].CopyTo(span[LinkFrame.HeaderSize..]);
                _pendingLength += LinkFrame.HeaderSize + take;
                data = data[take..];
            }
        }

        ScheduleFlush();
    }

    internal void SendWindow(LinkStream stream, int bytes)
    {
        if (bytes <= 0)
        {
            return;
        }

        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, bytes);
        Append(LinkFrameType.Window, stream.Id, payload);
    }

    private void Append(LinkFrameType type, uint id, ReadOnlySpan<byte> payload)
    {
        Write(type, id, payload);
        ScheduleFlush();
    }

    /// <summary>Adds a frame to the pending output, without scheduling its flush.</summary>
    private void Write(LinkFrameType type, uint id, ReadOnlySpan<byte> payload)
    {
        lock (_outputLock)
        {
            if (_broken)
            {
                return;
            }

            var span = Reserve(LinkFrame.HeaderSize + payload.Length);
            LinkFrame.WriteHeader(span, type, id, payload.Length);
            payload.CopyTo(span[LinkFrame.HeaderSize..]);
            _pendingLength += LinkFrame.HeaderSize + payload.Length;
        }
    }

    /// <summary>Room for <paramref name="length"/> more bytes after the pending ones (under the output lock).</summary>
    private Span<byte> Reserve(int length)
    {
        if (_pendingLength + length > _pending.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_pendingLength + length, _pending.Length * 2));
            _pending.AsSpan(0, _pendingLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = larger;
        }

        return _pending.AsSpan(_pendingLength, length);
    }

    private void ScheduleFlush()
    {
        lock (_outputLock)
        {
            if (_flushScheduled || _flushing)
            {
                return;
            }

            _flushScheduled = true;
        }

        if (!EventLoop.TryRunAfterEvents(this))
        {
            _ = FlushAsync();
        }
    }

    void IAfterEvents.Run() => _ = FlushAsync();

    /// <summary>Writes what is pending, then what was added meanwhile, until nothing is; one flush at a time.</summary>
    private async Task FlushAsync()
    {
        lock (_outputLock)
        {
            _flushScheduled = false;
            if (_flushing)
            {
                return;
            }

            _flushing = true;
        }

        try
        {
            while (true)
            {
                byte[] buffer;
                int length;
                lock (_outputLock)
                {
                    if (_pendingLength == 0 || _broken)
                    {
                        _flushing = false;
                        if (_broken)
                        {
                            CompleteOutput();
                        }

                        return;
                    }

                    buffer = _pending;
                    length = _pendingLength;
                    _pending = _spare;
                    _pendingLength = 0;
                    _spare = buffer;
                }

                _output.Write(buffer.AsSpan(0, length));
                var result = await _output.FlushAsync().ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled)
                {
                    throw new IOException("the sidecar link's connection closed");
                }
            }
        }
        catch (Exception)
        {
            // Whatever failed the write (the connection's end, TLS, a writer completed meanwhile) ends the link, so
            // that no stream waits on output that will never leave.
            lock (_outputLock)
            {
                _flushing = false;
            }

            Break();
            lock (_outputLock)
            {
                CompleteOutput();
            }
        }
    }

    /// <summary>The client side, under the output lock: completes the connection's writer once no flush uses it (a
    /// writer completed under a flush would hand its buffers back while they are being written).</summary>
    private void CompleteOutput()
    {
        if (_accept is null && !_flushing && !_outputCompleted)
        {
            _outputCompleted = true;
            try
            {
                // With an error: nothing left in the writer is written to a connection that has ended.
                _output.Complete(new IOException("the sidecar link ended"));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
            {
            }
        }
    }

    /// <summary>Ends the link: every stream ends (reads see the end, writes fail), and the connection closes.</summary>
    public void Break()
    {
        LinkStream[] streams;
        lock (_streamsLock)
        {
            if (_broken)
            {
                return;
            }

            _broken = true;
            streams = [.. _streams.Values];
            _streams.Clear();
        }

        _idleTimer?.Dispose();

        foreach (var stream in streams)
        {
            stream.OnEnded(broken: true);
        }

        // The client side owns its connection (a write in progress fails as it closes); the server side's belongs to
        // its listener, and a flush waiting for room on it gives up.
        if (_accept is null)
        {
            _owner?.Dispose();
        }
        else
        {
            _output.CancelPendingFlush();
        }

        lock (_outputLock)
        {
            _pendingLength = 0;
            CompleteOutput();
        }

        _input.CancelPendingRead();
    }
}
