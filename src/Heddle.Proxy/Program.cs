using Heddle.Proxy;
using Heddle.Proxy.Configuration;

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
