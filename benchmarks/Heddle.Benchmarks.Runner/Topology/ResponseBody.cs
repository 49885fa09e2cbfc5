namespace Heddle.Benchmarks.Runner.Topology;

/// <summary>The upstream's answer to every request: 1,024 bytes of text, the same in every case.</summary>
internal static class ResponseBody
{
    public const int Length = 1024;

    public static string Text { get; } = string.Concat(Enumerable.Repeat("0123456789abcdef", Length / 16));
}
