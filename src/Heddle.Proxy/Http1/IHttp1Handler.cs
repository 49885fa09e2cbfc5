namespace Heddle.Proxy.Http1;

/// <summary>A listener's request handling on the lean path: a decision that consumes nothing, then the forwarding.</summary>
internal interface IHttp1Handler
{
    /// <summary>Decides from the head alone (and records the decision in the exchange); false leaves the request and the
    /// rest of its connection to the general path.</summary>
    bool TryAccept(Http1Exchange exchange);

    /// <summary>Forwards the accepted request (its body is buffered) and answers it; never throws for expected failures.</summary>
    ValueTask HandleAsync(Http1Exchange exchange);
}
