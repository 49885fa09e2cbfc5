// The discovery protocol's message names collide with ASP.NET Core types imported by the web SDK; inside the
// control plane these names mean the protocol's messages.
global using Endpoint = Heddle.Discovery.V1.Endpoint;
global using Route = Heddle.Discovery.V1.Route;
