using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Heddle.Proxy.Tests.Http1;

/// <summary>Raw HTTP/1.1 over a socket, for tests that must control bytes and connections: a response reader and a
/// tiny upstream that counts its connections.</summary>
internal static class RawHttp
{
    public sealed record Response(int Status, Dictionary<string, string> Headers, string Body);

    /// <summary>Reads one response (Content-Length or chunked body); null when the connection closed first.</summary>
    public static async Task<Response?> ReadResponseAsync(Stream stream, List<byte> pending, bool head = false)
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString(pending.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var lines = text[..end].Split("\r\n");
                var status = int.Parse(lines[0].Split(' ')[1]);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':');
                    headers[line[..colon]] = line[(colon + 1)..].Trim();
                }

                if (!head && headers.GetValueOrDefault("Transfer-Encoding") == "chunked")
                {
                    var last = text.IndexOf("\r\n0\r\n\r\n", end, StringComparison.Ordinal);
                    var empty = text.IndexOf("0\r\n\r\n", end + 4, StringComparison.Ordinal) == end + 4;
                    if (last >= 0 || empty)
                    {
                        var stop = empty ? end + 4 + 5 : last + 7;
                        var body = new StringBuilder();
                        var position = end + 4;
                        while (true)
                        {
                            var lineEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
                            var size = Convert.ToInt32(text[position..lineEnd].Split(';')[0], 16);
                            if (size == 0)
                            {
                                break;
                            }

                            body.Append(text, lineEnd + 2, size);
                            position = lineEnd + 2 + size + 2;
                        }

                        pending.RemoveRange(0, stop);
                        return new Response(status, headers, body.ToString());
                    }
                }
                else if (pending.Count >= end + 4 + Length(headers, status, head))
                {
                    var length = Length(headers, status, head);
                    var body = text.Substring(end + 4, length);
                    pending.RemoveRange(0, end + 4 + length);
                    return new Response(status, headers, body);
                }
            }

            var buffer = new byte[8192];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return null;
            }

            pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private static int Length(Dictionary<string, string> headers, int status, bool head) =>
        head || status is 100 or 204 or 304 ? 0 : int.Parse(headers.GetValueOrDefault("Content-Length", "0"));

    /// <summary>An upstream that answers every request 200 with its path, and closes each connection after
    /// <see cref="CloseAfter"/> responses (without saying so unless <see cref="SayClose"/>).</summary>
    public sealed class Upstream : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;
        private int _connections;

        public Upstream(IPAddress address, int port)
        {
            _listener = new TcpListener(address, port);
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Connections => Volatile.Read(ref _connections);

        public int CloseAfter { get; set; } = int.MaxValue;

        public bool SayClose { get; set; }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    _ = ServeAsync(client);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            var pending = new List<byte>();
            try
            {
                for (var served = 1; ; served++)
                {
                    string text;
                    int end;
                    while ((end = (text = Encoding.Latin1.GetString(pending.ToArray())).IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
                    {
                        var buffer = new byte[4096];
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        pending.AddRange(buffer.AsSpan(0, read).ToArray());
                    }

                    pending.RemoveRange(0, end + 4);
                    var path = text.Split(' ')[1];
                    var close = served >= CloseAfter;
                    var body = "path=" + path;
                    var response = $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n{(close && SayClose ? "Connection: close\r\n" : "")}\r\n{body}";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                    if (close)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}
