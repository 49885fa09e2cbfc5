using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane;

/// <summary>Runs the control plane: the configuration directory, the discovery server and the monitoring server.</summary>
public static class ControlPlaneHost
{
    /// <summary>Runs until the token is cancelled. Logs to the console: configuration errors with the analyzer's
    /// messages, connections, and one line per push.</summary>
    public static async Task RunAsync(ControlPlaneOptions options, CancellationToken cancellationToken)
    {
        using var loggerFactory = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Grpc", LogLevel.Warning));
        try
        {
            await using var server = await ControlPlaneServer.StartAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
