using System.Text.RegularExpressions;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Registry;

public sealed class FileConfigSourceTests
{
    /// <summary>A Service and a VirtualService whose weights sum to 90; the second weight is on line 20.</summary>
    private const string BadRoutes = """
        apiVersion: v1
        kind: Service
        metadata:
          name: other
        spec:
          selector: {app: other}
          ports: [{name: http, port: 80}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: other
        spec:
          hosts: [other]
          http:
          - route:
            - destination: {host: other}
              weight: 80
            - destination: {host: other}
              weight: 10
        """;

    private static FileConfigSource Create(TempConfigDirectory directory, CapturingLoggerFactory logs, TimeProvider? time = null, bool useWatcher = true) =>
        new(directory.Path, time ?? TimeProvider.System, logs.CreateLogger<FileConfigSource>()) { UseWatcher = useWatcher };

    [Fact]
    public void Reload_InvalidFileAdded_KeepsLastGoodConfigAndLogsEveryErrorWithFileAndLine()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("web.yaml", MeshConfig.Web);
        var logs = new CapturingLoggerFactory();
        using var source = Create(directory, logs);
        source.Start();
        var good = source.Current;
        var published = 0;
        source.Changed += _ => published++;

        directory.Write("bad.yaml", BadRoutes);
        Assert.False(source.Reload());

        Assert.Equal(0, published);
        Assert.Same(good.Config, source.Current.Config);
        Assert.Equal("1", source.Current.Version);
        Assert.True(logs.Lines.Any(line => Regex.IsMatch(line, @"bad\.yaml:20 spec\.http\[0\]\.route\[1\]\.weight: ")), string.Join("\n", logs.Lines));
        Assert.Contains(source.Current.Problems, p => p.File == "bad.yaml" && p.Line == 20);
    }

    [Fact]
    public void Reload_ErrorFixed_PublishesTheNewConfig()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("web.yaml", MeshConfig.Web);
        directory.Write("bad.yaml", BadRoutes);
        var logs = new CapturingLoggerFactory();
        using var source = Create(directory, logs);
        source.Start();
        Assert.Equal("0", source.Current.Version);
        Assert.Empty(source.Current.Config.Services);

        directory.Write("bad.yaml", BadRoutes.Replace("weight: 10", "weight: 20", StringComparison.Ordinal));

        Assert.True(source.Reload(), string.Join("\n", source.Current.Problems));
        Assert.Equal("1", source.Current.Version);
        Assert.Equal(2, source.Current.Config.Services.Length);
        Assert.Empty(source.Current.Problems.Where(p => p.Severity == Heddle.Config.Severity.Error));
    }

    [Fact]
    public async Task Watcher_FileSaved_PublishesWithoutWaitingForARescan()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("web.yaml", MeshConfig.Web);
        var logs = new CapturingLoggerFactory();
        var time = new FakeTimeProvider();
        // No rescan within the test: only the watcher (and the settle delay after its event) can publish.
        using var source = new FileConfigSource(directory.Path, time, logs.CreateLogger<FileConfigSource>(), rescanInterval: TimeSpan.FromHours(1));
        source.Start();
        var published = new TaskCompletionSource<ConfigState>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Changed += state => published.TrySetResult(state);

        directory.Write("shop.yaml", MeshConfig.Shop);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!published.Task.IsCompleted && DateTime.UtcNow < deadline)
        {
            // The settle delay runs on the test's clock, however late the watcher's event arrives in real time.
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(published.Task, Task.Delay(20));
        }

        Assert.True(published.Task.IsCompleted, "the watcher did not publish the saved file");
        Assert.Equal(2, (await published.Task).Config.Services.Length);
    }

    [Fact]
    public async Task Watcher_InvalidFileSaved_KeepsLastGoodConfigAndLogsTheError()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("web.yaml", MeshConfig.Web);
        var logs = new CapturingLoggerFactory();
        using var source = Create(directory, logs);
        source.Start();
        var good = source.Current;

        directory.Write("bad.yaml", BadRoutes);

        Assert.True(await Eventually.HoldsAsync(() => logs.Lines.Any(line => line.Contains("bad.yaml:20", StringComparison.Ordinal))));
        Assert.Same(good.Config, source.Current.Config);
        Assert.Contains(logs.Lines, line => line.Contains("rejected (1 error(s)); still serving version 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Rescan_WithoutWatcher_ReloadsOnceTwoScansAgree()
    {
        using var directory = new TempConfigDirectory();
        directory.Write("web.yaml", MeshConfig.Web);
        var time = new FakeTimeProvider();
        var logs = new CapturingLoggerFactory();
        using var source = Create(directory, logs, time, useWatcher: false);
        source.Start();

        directory.Write("shop.yaml", MeshConfig.Shop);
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal("1", source.Current.Version);

        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal("2", source.Current.Version);
        Assert.Equal(2, source.Current.Config.Services.Length);
    }
}
