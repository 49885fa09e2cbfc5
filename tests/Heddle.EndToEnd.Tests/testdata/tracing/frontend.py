"""A frontend on $POD_IP:8080: GET /chain calls httpbin through the sidecar (HTTP_PROXY), passing the trace headers on."""
import os
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROPAGATED = ["traceparent", "tracestate", "x-request-id", "b3", "x-b3-traceid", "x-b3-spanid",
              "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/ready":
            self.reply(200, b"ready\n")
            return
        headers = {name: self.headers[name] for name in PROPAGATED if self.headers.get(name)}
        request = urllib.request.Request("http://httpbin:8000/get", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status = response.status
                response.read()
        except urllib.error.HTTPError as e:
            status = e.code
        self.reply(200 if status == 200 else 502, f"httpbin answered {status}\n".encode())

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


ThreadingHTTPServer((os.environ["POD_IP"], 8080), Handler).serve_forever()
