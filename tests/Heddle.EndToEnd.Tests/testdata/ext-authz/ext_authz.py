"""A tiny external authorizer in the style of Istio's ext-authz sample: allows a request whose header
`x-ext-authz` is `allow`, denies any other with 403. It answers every method and path."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def check(self):
        seen = f"{self.command} {self.path}"
        if self.headers.get("x-ext-authz") == "allow":
            status, result, body = 200, "allowed", b""
        else:
            status, result = 403, "denied"
            body = b"denied by ext_authz for not found header `x-ext-authz: allow` in the request"
        self.send_response(status)
        self.send_header("x-ext-authz-check-result", result)
        self.send_header("x-ext-authz-seen", seen)
        self.send_header("x-ext-authz-extra", self.headers.get("x-ext-authz-additional", ""))
        self.send_header("content-type", "text/plain")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = check

    def log_message(self, format, *args):
        pass


ThreadingHTTPServer((os.environ["POD_IP"], 8000), Handler).serve_forever()
