using System.Text;

namespace Heddle.Proxy.Admin;

/// <summary>Small text answers of the admin and readiness listeners.</summary>
internal static class PlainText
{
    public static Task WriteAsync(HttpContext context, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(bytes, 0, bytes.Length, context.RequestAborted);
    }
}
