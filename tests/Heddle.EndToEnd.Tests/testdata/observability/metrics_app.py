"""An application with its own Prometheus metrics on $POD_IP:9100/custom-metrics."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = (
    "# HELP heddle_e2e_app_info An application metric, merged into the sidecar's 15020 endpoint.\n"
    "# TYPE heddle_e2e_app_info gauge\n"
    'heddle_e2e_app_info{flavor="merged"} 1\n'
).encode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/custom-metrics":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


ThreadingHTTPServer((os.environ["POD_IP"], 9100), Handler).serve_forever()
