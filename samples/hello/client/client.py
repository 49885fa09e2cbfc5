"""The client of the hello sample.

Calls http://web/ through its sidecar (urllib uses HTTP_PROXY, which heddle points at the sidecar) and,
after every 100 plain requests and 20 requests as end-user jason, prints which versions answered:

    last 100 requests: v1 80  v2 20   |  as end-user jason: v2 20/20
"""

import collections
import os
import re
import signal
import sys
import time
import urllib.error
import urllib.request

URL = os.environ.get("TARGET_URL", "http://web/")
PLAIN = 100
AS_JASON = 20
PAUSE = 0.02  # seconds between requests: a steady trickle, not a load test

opener = urllib.request.build_opener()  # picks up HTTP_PROXY / http_proxy from the environment


def call(headers):
    """Returns the version that answered ("v1", "v2"), or what went wrong ("503", "error")."""
    try:
        with opener.open(urllib.request.Request(URL, headers=headers), timeout=5) as response:
            body = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return str(e.code)
    except OSError:
        return "error"
    match = re.search(r"hello from (\S+)", body)
    return match.group(1) if match else "unexpected"


def wait_for_service():
    """Waits until both kinds of request are answered, so that the first tally counts a running mesh."""
    print(f"calling {URL} through {os.environ.get('HTTP_PROXY', 'no proxy')}", flush=True)
    while True:
        plain, jason = call({}), call({"end-user": "jason"})
        if plain.startswith("v") and jason.startswith("v"):
            print(f"{URL} answers ({plain}, and {jason} for jason); counting which version serves each request", flush=True)
            return
        time.sleep(0.5)


def tally(counts):
    parts = [f"{version} {counts[version]}" for version in ("v1", "v2")]
    parts += [f"{outcome} {n}" for outcome, n in sorted(counts.items()) if outcome not in ("v1", "v2")]
    return "  ".join(parts)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    wait_for_service()
    while True:
        plain = collections.Counter()
        jason = collections.Counter()
        for i in range(PLAIN + AS_JASON):
            # Every sixth request is jason's, so both kinds are spread over the round.
            if i % 6 == 5:
                jason[call({"end-user": "jason"})] += 1
            else:
                plain[call({})] += 1
            time.sleep(PAUSE)
        print(f"last {PLAIN} requests: {tally(plain)}   |  as end-user jason: v2 {jason['v2']}/{AS_JASON}"
              + ("" if jason["v2"] == AS_JASON else f" ({tally(jason)})"), flush=True)


if __name__ == "__main__":
    try:
        main()
    except (KeyboardInterrupt, SystemExit):
        pass
