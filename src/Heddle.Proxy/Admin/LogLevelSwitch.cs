using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Admin;

/// <summary>The level of the proxy's own loggers, changed at run time by the admin listener's <c>/logging?level=</c>.</summary>
internal sealed class LogLevelSwitch(LogLevel level)
{
    private volatile int _level = (int)level;

    public LogLevel Level
    {
        get => (LogLevel)_level;
        set => _level = (int)value;
    }

    public bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= Level;

    /// <summary>Envoy's level names (trace, debug, info, warning, error, critical, off).</summary>
    public static bool TryParse(string? name, out LogLevel level)
    {
        switch (name?.ToLowerInvariant())
        {
            case "trace": level = LogLevel.Trace; return true;
            case "debug": level = LogLevel.Debug; return true;
            case "info" or "information": level = LogLevel.Information; return true;
            case "warn" or "warning": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            case "critical": level = LogLevel.Critical; return true;
            case "off" or "none": level = LogLevel.None; return true;
            default: level = LogLevel.Information; return false;
        }
    }

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "off",
    };
}
