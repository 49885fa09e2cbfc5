"""A tcp-echo workload like Istio's sample: on each port it listens on, every line it receives is answered with the
line prefixed by "hello ", until the client closes."""
import os
import socketserver
import sys
import threading


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(b"hello " + line)
            self.wfile.flush()


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    address = os.environ["POD_IP"]
    ports = [int(p) for p in sys.argv[1:]]
    servers = [Server((address, port), Echo) for port in ports]
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
