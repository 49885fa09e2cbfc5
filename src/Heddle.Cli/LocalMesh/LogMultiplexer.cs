namespace Heddle.Cli.LocalMesh;

/// <summary>
/// Interleaves the output of every process of the mesh on one writer, one whole line at a time, each prefixed
/// with its source padded to a common width (<c>web-v1-0 | ...</c>, <c>web-v1-0/proxy | ...</c>), as docker compose does.
/// </summary>
internal sealed class LogMultiplexer
{
    // Colours cycle per source so that neighbouring sources are told apart at a glance.
    private static readonly string[] Palette = ["\e[36m", "\e[33m", "\e[32m", "\e[35m", "\e[34m", "\e[96m", "\e[93m", "\e[92m", "\e[95m", "\e[94m"];
    private const string Reset = "\e[0m";

    private readonly TextWriter _output;
    private readonly bool _color;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _colors = new(StringComparer.Ordinal);
    private int _width;

    public LogMultiplexer(TextWriter output, bool color)
    {
        _output = output;
        _color = color;
    }

    /// <summary>True when stdout is a terminal and the user did not ask for plain output (<c>NO_COLOR</c>).</summary>
    public static bool ShouldColor() =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>Declares a source up front so that prefixes line up from the first line.</summary>
    public void Register(string source)
    {
        lock (_lock)
        {
            _width = Math.Max(_width, source.Length);
            if (!_colors.ContainsKey(source))
            {
                _colors[source] = Palette[_colors.Count % Palette.Length];
            }
        }
    }

    /// <summary>Writes one line of a process's output under its source prefix.</summary>
    public void Line(string source, string line)
    {
        lock (_lock)
        {
            if (source.Length > _width)
            {
                _width = source.Length;
            }

            string prefix = source.PadRight(_width) + " | ";
            Write(_color && _colors.TryGetValue(source, out string? color) ? color + prefix + Reset + line : prefix + line);
        }
    }

    /// <summary>Writes a line of the mesh's own (events such as <c>ready ...</c> and <c>mesh ready</c>), unprefixed.</summary>
    public void Event(string line)
    {
        lock (_lock)
        {
            Write(line);
        }
    }

    private void Write(string line)
    {
        try
        {
            _output.WriteLine(line);
            _output.Flush();
        }
        catch (IOException)
        {
            // Whoever read the output went away (`heddle up | head`); the mesh keeps running until it is stopped.
        }
    }
}
