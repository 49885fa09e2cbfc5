using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Heddle.ControlPlane.Push;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane.Registry;

/// <summary>Keeps the pod registry in a file, so that a restarted control plane starts with the pods it knew and
/// pushes no endpoint list that only lacks the pods whose proxies have not reconnected yet.</summary>
/// <remarks>Saved after every burst of changes, written to a temporary file and renamed over the old one, so that a
/// reader never sees half a file. Restored pods wait for their proxies for <see cref="PodRegistry.ReconnectGrace"/>.</remarks>
public sealed class PodRegistryFile : IDisposable
{
    private readonly string _path;
    private readonly PodRegistry _pods;
    private readonly ILogger _logger;
    private readonly Debouncer _debouncer;

    private PodRegistryFile(string path, PodRegistry pods, TimeProvider time, ILogger logger)
    {
        _path = path;
        _pods = pods;
        _logger = logger;
        _debouncer = new Debouncer(PushCoordinator.Quiet, PushCoordinator.MaxDelay, time, Save);
    }

    /// <summary>Restores the pods saved in <paramref name="path"/> (if any) into the registry and saves every later change.</summary>
    public static PodRegistryFile Attach(string path, PodRegistry pods, TimeProvider time, ILogger logger)
    {
        var restored = Read(path, logger);
        pods.Restore(restored);
        if (restored.Length > 0)
        {
            Log.PodsRestored(logger, restored.Length, path);
        }

        var file = new PodRegistryFile(path, pods, time, logger);
        pods.Changed += file._debouncer.Signal;
        return file;
    }

    /// <summary>The pods saved in the file; none when it is missing or unreadable (logged).</summary>
    public static ImmutableArray<ConnectedPod> Read(string path, ILogger logger)
    {
        try
        {
            if (!File.Exists(path))
            {
                return [];
            }

            var saved = JsonSerializer.Deserialize(File.ReadAllBytes(path), PodRegistryJson.Default.SavedPodArray) ?? [];
            var builder = ImmutableArray.CreateBuilder<ConnectedPod>(saved.Length);
            foreach (var pod in saved)
            {
                builder.Add(new ConnectedPod(pod.Id, pod.PodName, pod.Namespace, pod.Workload, pod.PodIp, pod.ServiceAccount, pod.Health));
            }

            return builder.MoveToImmutable();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Log.PodsFileUnreadable(logger, path, e.Message);
            return [];
        }
    }

    private void Save()
    {
        var pods = _pods.Pods;
        var saved = new SavedPod[pods.Length];
        for (var i = 0; i < pods.Length; i++)
        {
            var pod = pods[i];
            saved[i] = new SavedPod(pod.Id, pod.PodName, pod.Namespace, pod.Workload, pod.PodIp, pod.ServiceAccount, pod.Health);
        }

        var temporary = _path + ".tmp";
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(saved, PodRegistryJson.Default.SavedPodArray));
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.PodsFileUnwritable(_logger, _path, e.Message);
        }
    }

    public void Dispose()
    {
        _pods.Changed -= _debouncer.Signal;
        _debouncer.Dispose();
    }
}

internal sealed record SavedPod(string Id, string PodName, string Namespace, string Workload, string PodIp, string ServiceAccount, WorkloadHealth Health);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(SavedPod[]))]
internal sealed partial class PodRegistryJson : JsonSerializerContext;
