using System.Collections.Immutable;
using System.Globalization;
using Heddle.Config;
using Heddle.ControlPlane.Push;
using Heddle.ControlPlane.Telemetry;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane.Registry;

/// <summary>Serves the configuration of a directory of YAML files: reloads it when a file changes and publishes it only
/// when it has no errors, so that a bad save leaves the last good configuration in place.</summary>
/// <remarks>Editors save in several steps (truncate, write, rename), so file events are debounced before a reload.
/// A cheap periodic rescan (sizes and timestamps only) catches changes the watcher misses; it reloads only once two
/// rescans in a row agree, so that a half-written file is not read.</remarks>
public sealed class FileConfigSource : IDisposable
{
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SettleMax = TimeSpan.FromMilliseconds(500);

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _rescanInterval;
    private readonly Lock _loadLock = new();
    private readonly Lock _rescanLock = new();
    private readonly Debouncer _settle;
    private readonly ControlPlaneMetrics _metrics;
    private FileSystemWatcher? _watcher;
    private ITimer? _rescan;
    private ConfigState _current = ConfigState.Initial;
    private int _accepted;
    private string? _loadedFingerprint;
    private string? _polledFingerprint;

    /// <param name="metrics">Where reload errors and the latest load's problems are recorded (default: the process's).</param>
    public FileConfigSource(string directory, TimeProvider time, ILogger<FileConfigSource> logger, TimeSpan? rescanInterval = null, ControlPlaneMetrics? metrics = null)
    {
        _metrics = metrics ?? ControlPlaneMetrics.Shared;
        _directory = Path.GetFullPath(directory);
        _time = time;
        _logger = logger;
        _rescanInterval = rescanInterval ?? TimeSpan.FromMilliseconds(500);
        _settle = new Debouncer(SettleQuiet, SettleMax, time, () => Reload(onlyIfChanged: true));
    }

    /// <summary>Raised (on a background thread, in order) with every configuration accepted after a reload.</summary>
    public event Action<ConfigState>? Changed;

    public ConfigState Current => Volatile.Read(ref _current);

    /// <summary>False to rely on the periodic rescan alone (the fallback, tested on its own).</summary>
    internal bool UseWatcher { get; init; } = true;

    /// <summary>Loads the directory once, then watches it.</summary>
    public void Start()
    {
        Reload(onlyIfChanged: false);
        if (UseWatcher && Directory.Exists(_directory))
        {
            _watcher = Watch();
        }

        _rescan = _time.CreateTimer(static state => ((FileConfigSource)state!).Rescan(), this, _rescanInterval, _rescanInterval);
    }

    private FileSystemWatcher? Watch()
    {
        var watcher = new FileSystemWatcher(_directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += OnFileEvent;
        watcher.Created += OnFileEvent;
        watcher.Deleted += OnFileEvent;
        watcher.Renamed += OnFileEvent;
        watcher.Error += (_, _) => _settle.Signal();
        try
        {
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (IOException exception)
        {
            // For example when the system's inotify limits are reached: the periodic rescan still sees every change.
            Log.WatcherUnavailable(_logger, _directory, exception.Message);
            watcher.Dispose();
            return null;
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _settle.Signal();

    private void Rescan()
    {
        // Timer callbacks may overlap when a scan is slow; one scan at a time is enough.
        if (!_rescanLock.TryEnter())
        {
            return;
        }

        try
        {
            var fingerprint = DirectoryFingerprint.Compute(_directory);
            var stable = fingerprint == _polledFingerprint;
            _polledFingerprint = fingerprint;
            if (stable && fingerprint != Volatile.Read(ref _loadedFingerprint))
            {
                Reload(onlyIfChanged: true);
            }
        }
        finally
        {
            _rescanLock.Exit();
        }
    }

    /// <summary>Reads the directory and publishes its configuration if it has no errors.</summary>
    /// <returns>True when a new configuration was published.</returns>
    public bool Reload(bool onlyIfChanged = false)
    {
        lock (_loadLock)
        {
            // The fingerprint is taken before reading, so that a change made during the read triggers another one.
            var fingerprint = DirectoryFingerprint.Compute(_directory);
            if (onlyIfChanged && fingerprint == _loadedFingerprint)
            {
                return false;
            }

            LoadResult result;
            ImmutableArray<Diagnostic> problems;
            try
            {
                result = ConfigLoader.LoadDirectory(_directory);
                problems = result.HasErrors ? result.Diagnostics : result.Diagnostics.AddRange(ConfigAnalyzer.Analyze(result.Config));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Log.ConfigReadFailed(_logger, exception, _directory, _current.Version);
                _metrics.ConfigReloadFailed(unreadable: true);
                return false;
            }

            Volatile.Write(ref _loadedFingerprint, fingerprint);
            var errors = 0;
            foreach (var problem in problems)
            {
                if (problem.Severity == Severity.Error)
                {
                    errors++;
                    Log.ConfigError(_logger, problem.ToString());
                }
                else
                {
                    Log.ConfigWarning(_logger, problem.ToString());
                }
            }

            _metrics.ConfigProblems(errors, problems.Length - errors);
            if (errors > 0)
            {
                _metrics.ConfigReloadFailed(unreadable: false);
                Volatile.Write(ref _current, _current with { Problems = problems });
                Log.ConfigRejected(_logger, _directory, errors, _current.Version);
                return false;
            }

            var version = (++_accepted).ToString(CultureInfo.InvariantCulture);
            var state = new ConfigState(result.Config, version, problems);
            Volatile.Write(ref _current, state);
            Log.ConfigLoaded(_logger, _directory, version, ConfigSetCount(result.Config));
            _metrics.Changed();
            Changed?.Invoke(state);
            return true;
        }
    }

    private static int ConfigSetCount(Heddle.Config.Model.ConfigSet config) =>
        config.Services.Length + config.ServiceEntries.Length + config.WorkloadEntries.Length
        + config.VirtualServices.Length + config.DestinationRules.Length + config.LocalWorkloads.Length;

    public void Dispose()
    {
        _rescan?.Dispose();
        _watcher?.Dispose();
        _settle.Dispose();
    }
}
