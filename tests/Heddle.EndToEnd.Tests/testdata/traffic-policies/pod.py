"""A small HTTP/1.1 service that names the pod that answered, as JSON. STATUS sets the status it answers with;
/slow holds the answer until /release is called on the same pod (or 10 s pass); /holding says whether it holds one;
after /fail the pod answers 500 to everything but /ready."""
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

released = threading.Event()
holding = threading.Event()
failing = threading.Event()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 500 if failing.is_set() else int(os.environ.get("STATUS", "200"))
        if self.path.startswith("/slow"):
            released.clear()
            holding.set()
            released.wait(10)
            holding.clear()
        elif self.path.startswith("/release"):
            released.set()
        elif self.path.startswith("/fail"):
            failing.set()
            status = 200
        elif self.path.startswith("/ready"):
            status = 200
        reply = json.dumps({"pod": os.environ.get("POD_NAME", ""), "path": self.path, "holding": holding.is_set()}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


ThreadingHTTPServer((os.environ["POD_IP"], 8080), Handler).serve_forever()
