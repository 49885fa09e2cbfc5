using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>A real Python program (Debian's /usr/bin/python3) run for a test and killed afterwards.</summary>
internal sealed class PythonProcess : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;

    private PythonProcess(Process process) => _process = process;

    /// <summary>Starts <c>python3 args</c> and, when <paramref name="listensOn"/> is given, waits until it accepts connections there.</summary>
    public static async Task<PythonProcess> StartAsync(IPEndPoint? listensOn, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var python = new PythonProcess(Process.Start(start)!);
        if (listensOn is not null)
        {
            await Eventually.WaitAsync(async () => await AcceptsAsync(listensOn) ? "up" : null, $"python {string.Join(' ', args)} to listen on {listensOn}");
        }

        return python;
    }

    /// <summary>Runs a Python script to completion and returns its standard output.</summary>
    public static async Task<string> RunAsync(IReadOnlyDictionary<string, string> environment, string script)
    {
        await using var python = await StartAsync(null, environment, "-c", script);
        var output = python._process.StandardOutput.ReadToEndAsync();
        var error = python._process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await python._process.WaitForExitAsync(timeout.Token);
        Assert.True(python._process.ExitCode == 0, await error);
        return await output;
    }

    private static async Task<bool> AcceptsAsync(IPEndPoint endpoint)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
