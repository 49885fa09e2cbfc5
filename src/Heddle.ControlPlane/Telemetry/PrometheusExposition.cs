using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Heddle.ControlPlane.Telemetry;

/// <summary>
/// Aggregates the measurements of one <see cref="Meter"/>'s instruments with a <see cref="MeterListener"/> and writes
/// them in Prometheus text format: counters as counters, up-down counters and gauges as gauges, histograms with the
/// buckets their instrument advises. Instrument names are written as they are.
/// </summary>
internal sealed class PrometheusExposition : IDisposable
{
    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly MeterListener _listener;
    private readonly Lock _lock = new();
    private readonly List<Metric> _metrics = [];
    private readonly Dictionary<Instrument, Metric> _byInstrument = [];

    public PrometheusExposition(Meter meter)
    {
        _meter = meter;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, _meter))
                {
                    lock (_lock)
                    {
                        var metric = new Metric(instrument);
                        _metrics.Add(metric);
                        _byInstrument[instrument] = metric;
                    }

                    listener.EnableMeasurementEvents(instrument, this);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(static (instrument, value, tags, state) => ((PrometheusExposition)state!).Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>(static (instrument, value, tags, state) => ((PrometheusExposition)state!).Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string labels = Labels(tags);
        lock (_lock)
        {
            if (_byInstrument.TryGetValue(instrument, out var metric))
            {
                metric.Record(labels, value);
            }
        }
    }

    public void Write(TextWriter output)
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            foreach (var metric in _metrics)
            {
                metric.Write(text);
            }
        }

        output.Write(text.ToString());
    }

    /// <summary><c>{a="x",b="y"}</c>, sorted by name, values escaped; empty without tags.</summary>
    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder("{");
        for (int i = 0; i < sorted.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(sorted[i].Key).Append("=\"");
            foreach (char c in Convert.ToString(sorted[i].Value, CultureInfo.InvariantCulture) ?? "")
            {
                _ = c switch
                {
                    '\\' => text.Append("\\\\"),
                    '"' => text.Append("\\\""),
                    '\n' => text.Append("\\n"),
                    _ => text.Append(c),
                };
            }

            text.Append('"');
        }

        return text.Append('}').ToString();
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _listener.Dispose();

    private enum Kind
    {
        Counter,
        Sum,
        LastValue,
        Histogram,
    }

    /// <summary>One instrument's series, by label set, in the order they first appeared.</summary>
    private sealed class Metric
    {
        private readonly Instrument _instrument;
        private readonly Kind _kind;
        private readonly double[] _bounds;
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        public Metric(Instrument instrument)
        {
            _instrument = instrument;
            var type = instrument.GetType().GetGenericTypeDefinition();
            _kind = type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? Kind.Counter
                : type == typeof(UpDownCounter<>) || type == typeof(ObservableUpDownCounter<>) ? Kind.Sum
                : type == typeof(Histogram<>) ? Kind.Histogram
                : Kind.LastValue;
            _bounds = instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } ? [.. bounds] : DefaultBuckets;
        }

        private Series GetSeries(string labels)
        {
            if (!_series.TryGetValue(labels, out var series))
            {
                series = new Series(_kind == Kind.Histogram ? new long[_bounds.Length] : null);
                _series[labels] = series;
                _order.Add(labels);
            }

            return series;
        }

        public void Record(string labels, double value)
        {
            var series = GetSeries(labels);
            switch (_kind)
            {
                case Kind.Counter or Kind.Sum:
                    series.Value += value;
                    break;
                case Kind.LastValue:
                    series.Value = value;
                    break;
                case Kind.Histogram:
                    series.Count++;
                    series.Value += value;
                    int bucket = Array.BinarySearch(_bounds, value);
                    // Buckets are upper-inclusive (le): a value equal to a bound belongs to that bound's bucket.
                    bucket = bucket >= 0 ? bucket : ~bucket;
                    if (bucket < _bounds.Length)
                    {
                        series.Buckets![bucket]++;
                    }

                    break;
            }
        }

        public void Write(StringBuilder text)
        {
            string name = _instrument.Name;
            if (!string.IsNullOrEmpty(_instrument.Description))
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(_instrument.Description.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(name).Append(' ').Append(_kind switch
            {
                Kind.Counter => "counter",
                Kind.Histogram => "histogram",
                _ => "gauge",
            }).Append('\n');
            if (_kind == Kind.Histogram && _order.Count == 0)
            {
                // A histogram nothing was observed in yet still has its (empty) series, so that rate() sees the first observation.
                GetSeries("");
            }

            foreach (string labels in _order)
            {
                var series = _series[labels];
                if (_kind != Kind.Histogram)
                {
                    text.Append(name).Append(labels).Append(' ').Append(Number(series.Value)).Append('\n');
                    continue;
                }

                long cumulative = 0;
                for (int i = 0; i < _bounds.Length; i++)
                {
                    cumulative += series.Buckets![i];
                    text.Append(name).Append("_bucket").Append(WithLe(labels, Number(_bounds[i]))).Append(' ').Append(cumulative).Append('\n');
                }

                text.Append(name).Append("_bucket").Append(WithLe(labels, "+Inf")).Append(' ').Append(series.Count).Append('\n');
                text.Append(name).Append("_sum").Append(labels).Append(' ').Append(Number(series.Value)).Append('\n');
                text.Append(name).Append("_count").Append(labels).Append(' ').Append(series.Count).Append('\n');
            }
        }

        private static string WithLe(string labels, string le) =>
            labels.Length == 0 ? $"{{le=\"{le}\"}}" : $"{labels[..^1]},le=\"{le}\"}}";
    }

    private sealed class Series(long[]? buckets)
    {
        public double Value { get; set; }

        public long Count { get; set; }

        public long[]? Buckets { get; } = buckets;
    }
}
