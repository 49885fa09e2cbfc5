using System.CommandLine;
using System.Text.Json;
using Heddle.Cli.LocalMesh;
using Heddle.Discovery;

namespace Heddle.Cli.Commands;

/// <summary>
/// <c>heddle proxy-config log WORKLOAD [--level LEVEL] [-o json]</c>: shows a sidecar's log level, or changes it at runtime,
/// through its admin endpoint (<c>GET|POST :15000/logging[?level=]</c>), as <c>istioctl proxy-config log</c> does.
/// </summary>
internal static class ProxyConfigLogCommand
{
    public static Command Create()
    {
        var workload = new Argument<string>("workload") { Description = "The LocalWorkload whose sidecar to read or change" };
        var level = new Option<string?>("--level") { Description = "The new level: trace, debug, info, warning, error, critical or off", HelpName = "LEVEL" };
        var replica = new Option<int>("--replica") { Description = "Which replica (0-based)", DefaultValueFactory = _ => 0 };
        var ns = new Option<string?>("--namespace", "-n") { Description = "The workload's namespace, when its name is not unique" };
        var output = OutputOption.Create();
        var runDirectory = CommonOptions.RunDirectory();
        var command = new Command("log", "Show or change a sidecar's log level at runtime") { workload, level, replica, ns, output, runDirectory };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            RunDirectory.Resolve(parseResult.GetValue(runDirectory)),
            parseResult.GetRequiredValue(workload),
            parseResult.GetValue(ns),
            parseResult.GetValue(replica),
            parseResult.GetValue(level),
            parseResult.GetRequiredValue(output),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(
        RunDirectory runDirectory, string workload, string? ns, int replica, string? level, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        const string Name = "heddle proxy-config log";
        var state = runDirectory.TryReadRunning(out string problem);
        if (state is null)
        {
            error.WriteLine($"{Name}: {problem}");
            return 1;
        }

        var pod = ExecCommand.FindPod(state, workload, ns, replica, out problem);
        if (pod is null)
        {
            error.WriteLine($"{Name}: {problem}");
            return 1;
        }

        var uri = new Uri($"http://{pod.PodIp}:{MeshPorts.Admin}/logging" + (level is null ? "" : "?level=" + Uri.EscapeDataString(level)));
        using var client = Prober.CreateClient();
        string body;
        try
        {
            using var response = level is null
                ? await client.GetAsync(uri, cancellationToken).ConfigureAwait(false)
                : await client.PostAsync(uri, content: null, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                error.WriteLine($"{Name}: the sidecar of {pod.PodName} refused: {body.Trim()}");
                return 1;
            }
        }
        catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"{Name}: the sidecar of {pod.PodName} does not answer on {pod.PodIp}:{MeshPorts.Admin}/logging ({(e is TaskCanceledException ? "timed out" : e.Message)}); is it running? see `heddle status`");
            return 1;
        }

        if (format == OutputOption.Json)
        {
            output.WriteLine(ToJson(pod.PodName, body));
        }
        else
        {
            output.Write($"{pod.PodName}:\n{body}");
        }

        return 0;
    }

    /// <summary>The admin endpoint's "active loggers" lines (<c>  name: level</c>) as <c>{"pod": .., "loggers": {name: level}}</c>.</summary>
    public static string ToJson(string podName, string body)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("pod", podName);
            json.WriteStartObject("loggers");
            foreach (var line in body.Split('\n'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (line.StartsWith("  ", StringComparison.Ordinal) && colon > 0)
                {
                    json.WriteString(line[..colon].Trim(), line[(colon + 1)..].Trim());
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
