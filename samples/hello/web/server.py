"""The web service of the hello sample: answers every request with its version and pod name."""

import argparse
import http.server
import os
import signal
import sys

VERSION = os.environ.get("VERSION", "v1")
POD_NAME = os.environ.get("POD_NAME", "unknown")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hello-web/" + VERSION

    def do_GET(self):
        if self.path == "/healthz":
            self.reply(b"ok\n")
        else:
            self.reply(f"hello from {VERSION} ({POD_NAME})\n".encode())

    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        # Every request already shows up in the sidecars' access logs (heddle up --access-log).
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bind", required=True, help="address to listen on: the pod IP")
    parser.add_argument("--port", type=int, default=8080)
    options = parser.parse_args()

    server = http.server.ThreadingHTTPServer((options.bind, options.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"web {VERSION} listening on {options.bind}:{options.port}", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    main()
