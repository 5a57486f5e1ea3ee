using System.Diagnostics;
using System.Text;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>Collects a child process's stdout and stderr lines (bounded, newest kept).</summary>
public sealed class ProcessLog
{
    private const int MaxLines = 4000;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Attach(Process process, string label)
    {
        process.OutputDataReceived += (_, e) => Append(label, e.Data);
        process.ErrorDataReceived += (_, e) => Append(label, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public void Note(string message) => Append("test", message);

    public override string ToString()
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            foreach (var line in _lines)
            {
                text.AppendLine(line);
            }
            return text.ToString();
        }
    }

    private void Append(string label, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} [{label}] {line}");
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }
}
