using System.Diagnostics;
using System.Text;

namespace Heddle.Benchmarks.Runner.Processes;

/// <summary>What a finished command printed and returned.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => StandardOutput.Length == 0 ? StandardError : StandardError.Length == 0 ? StandardOutput : StandardOutput + StandardError;
}

/// <summary>Runs a command to completion (tool checks, hey, wrk, dotnet publish), killing it on timeout or cancellation.</summary>
internal static class ProcessRunner
{
    /// <param name="standardOutputPath">When set, stdout is written to this file instead of being captured.</param>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardOutputPath = null)
    {
        var info = new ProcessStartInfo
        {
            FileName = fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (KeyValuePair<string, string> variable in environment)
            {
                info.Environment[variable.Key] = variable.Value;
            }
        }

        using var process = new Process { StartInfo = info };
        process.Start();
        process.StandardInput.Close();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout);
        Task<string> stderr = process.StandardError.ReadToEndAsync(linked.Token);
        Task<string> stdout;
        if (standardOutputPath is null)
        {
            stdout = process.StandardOutput.ReadToEndAsync(linked.Token);
        }
        else
        {
            stdout = CopyToFileAsync(process.StandardOutput.BaseStream, standardOutputPath, linked.Token);
        }

        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Runs a command and returns its first output line, or null when it cannot be run.</summary>
    public static async Task<string?> FirstLineAsync(string fileName, params string[] arguments)
    {
        try
        {
            CommandResult result = await RunAsync(fileName, arguments, TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            string text = result.Output.Trim();
            int newline = text.IndexOf('\n');
            return newline < 0 ? text : text[..newline].Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static async Task<string> CopyToFileAsync(Stream source, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
        await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        return string.Empty;
    }
}

/// <summary>Text helpers for messages.</summary>
internal static class TextTail
{
    public static string FirstLines(string text, int lines)
    {
        string[] all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(Environment.NewLine, all.Take(lines).Select(line => line.TrimEnd()));
    }

    public static string LastLines(string text, int lines)
    {
        string[] all = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var builder = new StringBuilder();
        foreach (string line in all.Skip(Math.Max(0, all.Length - lines)))
        {
            builder.AppendLine(line.TrimEnd());
        }

        return builder.ToString().TrimEnd();
    }
}
