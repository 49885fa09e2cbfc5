using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>Writes Prometheus's text exposition format straight into a buffer.</summary>
internal readonly struct PrometheusText(IBufferWriter<byte> output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly byte[][] BucketBounds = BuildBounds();

    public void Family(string name, string type, string help)
    {
        Ascii("# HELP ");
        Ascii(name);
        Ascii(" ");
        Ascii(help);
        Ascii("\n# TYPE ");
        Ascii(name);
        Ascii(" ");
        Ascii(type);
        Ascii("\n");
    }

    public void Sample(string name, byte[] labels, long value)
    {
        Ascii(name);
        Ascii("{");
        output.Write(labels);
        Ascii("} ");
        Number(value);
        Ascii("\n");
    }

    public void Histogram(string name, byte[] labels, Histogram histogram, long sumDivisor)
    {
        long cumulative = 0;
        for (var i = 0; i <= Metrics.Histogram.Bounds.Length; i++)
        {
            cumulative += histogram.Bucket(i);
            Ascii(name);
            Ascii("_bucket{");
            output.Write(labels);
            Ascii(",le=\"");
            output.Write(BucketBounds[i]);
            Ascii("\"} ");
            Number(cumulative);
            Ascii("\n");
        }

        Ascii(name);
        Ascii("_sum{");
        output.Write(labels);
        Ascii("} ");
        var sum = histogram.Sum;
        if (sumDivisor == 1)
        {
            Number(sum);
        }
        else
        {
            Ascii(((double)sum / sumDivisor).ToString("R", CultureInfo.InvariantCulture));
        }

        Ascii("\n");
        Ascii(name);
        Ascii("_count{");
        output.Write(labels);
        Ascii("} ");
        Number(histogram.Count);
        Ascii("\n");
    }

    private void Number(long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    private void Ascii(string text)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    private static byte[][] BuildBounds()
    {
        var bounds = Metrics.Histogram.Bounds;
        var result = new byte[bounds.Length + 1][];
        for (var i = 0; i < bounds.Length; i++)
        {
            result[i] = Encoding.ASCII.GetBytes(bounds[i].ToString("R", CultureInfo.InvariantCulture));
        }

        result[^1] = "+Inf"u8.ToArray();
        return result;
    }
}
