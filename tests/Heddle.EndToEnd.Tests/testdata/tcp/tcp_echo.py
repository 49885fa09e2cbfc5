"""A tcp-echo workload like Istio's sample: on each port it listens on, every line it receives is answered with the
line prefixed by "hello ", until the client closes. A port written "greet:PORT" speaks first: it greets every new
connection with "welcome to tcp-echo" before echoing, as SMTP or MySQL servers do."""
import os
import socketserver
import sys
import threading


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        if self.server.greets:
            self.wfile.write(b"welcome to tcp-echo\n")
            self.wfile.flush()
        for line in self.rfile:
            self.wfile.write(b"hello " + line)
            self.wfile.flush()


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address, greets):
        self.greets = greets
        super().__init__(address, Echo)


def main():
    address = os.environ["POD_IP"]
    servers = [Server((address, int(p.split(":")[-1])), p.startswith("greet:")) for p in sys.argv[1:]]
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
