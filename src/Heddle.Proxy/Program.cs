using Heddle.Proxy;
using Heddle.Proxy.Configuration;

// Socket completions run on the I/O threads instead of hopping to the thread pool: the lean HTTP/1.1 path never blocks
// there, and the hop was half of its CPU per request. The runtime reads this once, when the first socket is made, so it
// is set before anything else runs; an explicit value in the environment (e.g. 0) wins.
if (Environment.GetEnvironmentVariable(ProxyHost.InlineCompletionsVariable) is null)
{
    Environment.SetEnvironmentVariable(ProxyHost.InlineCompletionsVariable, "1");
}

if (!ProxyOptionsParser.TryParse(args, out var options, out var error))
{
    await Console.Error.WriteLineAsync(error == ProxyOptionsParser.Usage ? error : "heddle-proxy: " + error + "\n" + ProxyOptionsParser.Usage);
    return 2;
}

await using var proxy = ProxyHost.Create(options);
try
{
    await proxy.StartAsync();
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
{
    await Console.Error.WriteLineAsync("heddle-proxy: cannot listen on " + options.PodIp + ": " + e.Message);
    return 1;
}

await proxy.WaitForShutdownAsync();
return 0;
