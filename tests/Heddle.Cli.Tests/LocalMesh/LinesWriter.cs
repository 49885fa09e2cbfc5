using System.Text;

namespace Heddle.Cli.Tests.LocalMesh;

/// <summary>A thread-safe writer that keeps every line written, for asserting on the mesh's output while it runs.</summary>
internal sealed class LinesWriter : TextWriter
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _current = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            if (value == '\n')
            {
                _lines.Add(_current.ToString().TrimEnd('\r'));
                _current.Clear();
            }
            else
            {
                _current.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            foreach (char c in value ?? "")
            {
                Write(c);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            Write(value);
            Write('\n');
        }
    }
}
