using System.Buffers;
using System.Diagnostics;
using System.Text.Json;

namespace Heddle.Proxy.Admin;

/// <summary>Process figures for diagnosing the proxy's cost: memory, garbage collection, threads.</summary>
internal static class StatsWriter
{
    public static void Write(IBufferWriter<byte> output)
    {
        var gc = GC.GetGCMemoryInfo();
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("workingSetBytes", Environment.WorkingSet);
        json.WriteNumber("gcHeapBytes", gc.HeapSizeBytes);
        json.WriteNumber("gcCommittedBytes", gc.TotalCommittedBytes);
        json.WriteNumber("gcFragmentedBytes", gc.FragmentedBytes);
        json.WriteNumber("gcTotalAllocatedBytes", GC.GetTotalAllocatedBytes());
        json.WriteNumber("gcPauseTimePercentage", gc.PauseTimePercentage);
        json.WriteNumber("gen0Collections", GC.CollectionCount(0));
        json.WriteNumber("gen1Collections", GC.CollectionCount(1));
        json.WriteNumber("gen2Collections", GC.CollectionCount(2));
        json.WriteNumber("threadPoolThreads", ThreadPool.ThreadCount);
        json.WriteNumber("threads", Process.GetCurrentProcess().Threads.Count);
        json.WriteNumber("cpuSeconds", Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
        json.WriteEndObject();
    }
}
