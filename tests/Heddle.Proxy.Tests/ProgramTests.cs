using System.Diagnostics;
using Heddle.Proxy.Tests.Infrastructure;

namespace Heddle.Proxy.Tests;

/// <summary>The <c>heddle-proxy</c> executable as a separate process, with the contract's command line.</summary>
public sealed class ProgramTests
{
    private static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "heddle-proxy");

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task MissingOptions_ExitsWithCode2AndUsage()
    {
        using var proxy = Start("--pod-ip", "127.0.0.1");

        var error = await proxy.StandardError.ReadToEndAsync();
        await proxy.WaitForExitAsync();

        Assert.Equal(2, proxy.ExitCode);
        Assert.Contains("--discovery is required", error);
        Assert.Contains("usage: heddle-proxy", error);
    }

    [Fact]
    public async Task ParentProcessDies_ProxyExits()
    {
        var net = TestSubnet.Next();
        using var parent = Process.Start(new ProcessStartInfo("sleep", "300"))!;
        using var proxy = Start(
            "--discovery", $"http://{net.ControlPlane}:15010", "--pod-ip", net.Address(2).ToString(), "--pod-name", "web-0",
            "--namespace", "default", "--workload", "web", "--parent-pid", parent.Id.ToString());
        try
        {
            using var http = new HttpClient();
            await Eventually.WaitAsync(
                async () => await TryGetAsync(http, $"http://{net.Address(2)}:15000/ready"),
                "the proxy's admin listener");

            parent.Kill();

            using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
            await proxy.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, proxy.ExitCode);
        }
        finally
        {
            if (!proxy.HasExited)
            {
                proxy.Kill();
            }
        }
    }

    private static async Task<string?> TryGetAsync(HttpClient http, string url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.StatusCode.ToString();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
