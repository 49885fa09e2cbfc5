using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Heddle.Proxy.Sockets;

/// <summary>The few Linux calls the event loop makes itself: epoll, and non-blocking accept, connect, recv and send.</summary>
internal static partial class Libc
{
    public const int EpollIn = 0x001;
    public const int EpollOut = 0x004;
    public const int EpollErr = 0x008;
    public const int EpollHup = 0x010;
    public const int EpollRdHup = 0x2000;
    public const int EpollEt = 1 << 31;

    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;

    public const int EAgain = 11;
    public const int EIntr = 4;
    public const int EInProgress = 115;

    private const int SockNonBlock = 0x800;
    private const int SockCloexec = 0x80000;
    private const int EpollCloexec = 0x80000;
    private const int MsgNoSignal = 0x4000;
    private const int MsgPeek = 0x2;
    private const int MsgDontWait = 0x40;

    /// <summary>The size of <c>struct epoll_event</c>: packed (12 bytes) on x86-64, 16 bytes elsewhere.</summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static int EpollCreate() => epoll_create1(EpollCloexec);

    public static unsafe int EpollAdd(int epoll, int fd, int events, ulong data)
    {
        var buffer = stackalloc byte[16];
        *(uint*)buffer = (uint)events;
        *(ulong*)(buffer + (EpollEventSize == 12 ? 4 : 8)) = data;
        return epoll_ctl(epoll, EpollCtlAdd, fd, buffer);
    }

    public static unsafe int EpollWait(int epoll, byte* events, int maxEvents, int timeoutMs) => epoll_wait(epoll, events, maxEvents, timeoutMs);

    public static unsafe (int Events, ulong Data) EpollEventAt(byte* events, int index)
    {
        var entry = events + (index * EpollEventSize);
        return ((int)*(uint*)entry, *(ulong*)(entry + (EpollEventSize == 12 ? 4 : 8)));
    }

    public static int Accept(int listener) => accept4(listener, IntPtr.Zero, IntPtr.Zero, SockNonBlock | SockCloexec);

    public static unsafe int Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            return (int)recv(fd, pointer, (nuint)buffer.Length, 0);
        }
    }

    /// <summary>Whether the peer has ended the stream with nothing left to read: 0 at the end, 1 with bytes pending, -1 on error
    /// or nothing yet.</summary>
    public static unsafe int Peek(int fd)
    {
        byte one;
        return (int)recv(fd, &one, 1, MsgPeek | MsgDontWait);
    }

    public static unsafe int Send(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            return (int)send(fd, pointer, (nuint)buffer.Length, MsgNoSignal);
        }
    }

    public static unsafe int Connect(int fd, ReadOnlySpan<byte> address)
    {
        fixed (byte* pointer = address)
        {
            return connect(fd, pointer, address.Length);
        }
    }

    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>An errno as the exception .NET's own sockets would throw.</summary>
    public static SocketException Error(int errno) => new((int)(errno switch
    {
        104 => SocketError.ConnectionReset,
        32 => SocketError.Shutdown,
        111 => SocketError.ConnectionRefused,
        110 => SocketError.TimedOut,
        113 => SocketError.HostUnreachable,
        101 => SocketError.NetworkUnreachable,
        103 => SocketError.ConnectionAborted,
        107 => SocketError.NotConnected,
        9 => SocketError.OperationAborted,
        _ => SocketError.SocketError,
    }));

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int epoll_ctl(int epfd, int op, int fd, byte* @event);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int accept4(int sockfd, IntPtr addr, IntPtr addrlen, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recv(int sockfd, byte* buf, nuint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint send(int sockfd, byte* buf, nuint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int connect(int sockfd, byte* addr, int addrlen);
}
