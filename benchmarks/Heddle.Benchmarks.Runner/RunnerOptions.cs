using System.Globalization;

namespace Heddle.Benchmarks.Runner;

/// <summary>The runner's settings; the defaults are the method of the performance issue.</summary>
internal sealed record RunnerOptions
{
    public static readonly string[] AllCases = ["direct", "nginx-pair", "haproxy-pair", "heddle-plaintext", "heddle-mtls"];

    /// <summary>How many times every case runs, the cases taking turns; the rounds' measurements are pooled.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Length of one round's measured constant-rate window and of its max-throughput run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan? ThroughputDuration { get; init; }

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public int Rate { get; init; } = 1000;

    public int Connections { get; init; } = 16;

    public int WrkThreads { get; init; } = 2;

    public IReadOnlyList<string> Cases { get; init; } = AllCases;

    /// <summary>A /16 of loopback addresses for the mesh, the upstream and the nginx/HAProxy pairs.</summary>
    public string Cidr { get; init; } = "127.40.0.0/16";

    /// <summary>Where performance.md and performance.json go, relative to the repository root.</summary>
    public string ReportDirectory { get; init; } = "docs";

    /// <summary>Logs, rendered configs and raw latencies; default benchmarks/results/&lt;timestamp&gt;.</summary>
    public string? ResultsDirectory { get; init; }

    /// <summary>A heddle-proxy executable to use instead of publishing one.</summary>
    public string? ProxyPath { get; init; }

    public bool NoPublish { get; init; }

    public TimeSpan MeshTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int StartupRepetitions { get; init; } = 5;

    /// <summary>Records every scheduler switch and wake-up of the machine over each constant-rate window (perf).</summary>
    public bool TraceScheduler { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public TimeSpan EffectiveThroughputDuration => ThroughputDuration ?? Duration;

    /// <summary>True when the settings differ from the issue's method, so the numbers must not be read as the published ones.</summary>
    public bool DeviatesFromMethod =>
        Duration * Rounds < TimeSpan.FromSeconds(30) || EffectiveThroughputDuration * Rounds < TimeSpan.FromSeconds(30)
        || Warmup < TimeSpan.FromSeconds(5) || Rate != 1000 || Connections != 16 || TraceScheduler;

    public const string Usage = """
        Usage: benchmarks/run [options]

        Starts one upstream (nginx answering a 1,024-byte body) and drives the same load through
        direct, nginx pair, HAProxy pair, Heddle pair (plaintext) and Heddle pair (mTLS + metrics);
        writes docs/performance.md and docs/performance.json.

        Options:
          --rounds N              runs of every case, the cases taking turns; pooled (default 3)
          --duration D            one round's window at constant rate, and its wrk run (default 10s)
          --throughput-duration D one round's wrk run only (default: --duration)
          --warmup D              constant-rate warm-up before each round's window (default 5s)
          --rate N                constant request rate, requests/s (default 1000)
          --connections N         connections for hey and wrk (default 16)
          --wrk-threads N         wrk threads (default 2)
          --cases LIST            comma-separated subset of: direct, nginx-pair, haproxy-pair,
                                  heddle-plaintext, heddle-mtls (default: all)
          --cidr A.B.0.0/16       loopback range for the mesh and the pairs (default 127.40.0.0/16)
          --report-dir DIR        where performance.md/.json go (default docs)
          --results-dir DIR       logs, configs, raw latencies (default benchmarks/results/<time>)
          --proxy PATH            use this heddle-proxy executable instead of publishing one
          --no-publish            use artifacts/publish/heddle-proxy/heddle-proxy as it is
          --mesh-timeout D        how long to wait for `heddle up` to report ready (default 5m)
          --startup-runs N        sidecar start-up measurements (default 5)
          --trace-scheduler       record the machine's scheduler switches and wake-ups over each
                                  constant-rate window (perf, into the round's results directory);
                                  tracing slows every case, so the report is not a reference run
          -h, --help              this text

        Durations: 30s, 500ms, 2m. Example smoke run: benchmarks/run --rounds 1 --duration 3s --warmup 1s
        """;

    /// <summary>Parses the command line; returns null after printing help.</summary>
    public static RunnerOptions? Parse(string[] args)
    {
        var options = new RunnerOptions { Arguments = args };
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                Console.WriteLine(Usage);
                return null;
            }

            if (name == "--no-publish")
            {
                options = options with { NoPublish = true };
                continue;
            }

            if (name == "--trace-scheduler")
            {
                options = options with { TraceScheduler = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value (see --help)");
            }

            string value = args[++i];
            options = name switch
            {
                "--rounds" => options with { Rounds = PositiveInt(value, name) },
                "--duration" => options with { Duration = Positive(DurationText.Parse(value), name) },
                "--throughput-duration" => options with { ThroughputDuration = Positive(DurationText.Parse(value), name) },
                "--warmup" => options with { Warmup = DurationText.Parse(value) },
                "--rate" => options with { Rate = PositiveInt(value, name) },
                "--connections" => options with { Connections = PositiveInt(value, name) },
                "--wrk-threads" => options with { WrkThreads = PositiveInt(value, name) },
                "--cases" => options with { Cases = ParseCases(value) },
                "--cidr" => options with { Cidr = value },
                "--report-dir" => options with { ReportDirectory = value },
                "--results-dir" => options with { ResultsDirectory = value },
                "--proxy" => options with { ProxyPath = value },
                "--mesh-timeout" => options with { MeshTimeout = Positive(DurationText.Parse(value), name) },
                "--startup-runs" => options with { StartupRepetitions = PositiveInt(value, name) },
                _ => throw new ArgumentException($"unknown option {name} (see --help)"),
            };
        }

        return options;
    }

    private static IReadOnlyList<string> ParseCases(string value)
    {
        var cases = new List<string>();
        foreach (string item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item == "all")
            {
                return AllCases;
            }

            if (Array.IndexOf(AllCases, item) < 0)
            {
                throw new ArgumentException($"unknown case '{item}'; cases: {string.Join(", ", AllCases)}");
            }

            cases.Add(item);
        }

        // Run in the canonical order: direct first, because every other case is compared with it.
        cases.Sort((a, b) => Array.IndexOf(AllCases, a).CompareTo(Array.IndexOf(AllCases, b)));
        return cases;
    }

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentException($"{name} must be positive");

    private static int PositiveInt(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed > 0
            ? parsed
            : throw new ArgumentException($"{name} must be a positive integer, got '{value}'");
}
