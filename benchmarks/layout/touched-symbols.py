#!/usr/bin/env python3
"""Lists the managed methods a profiled heddle-proxy executed, in the order of the profiled binary.

Usage: touched-symbols.py BINARY.dbg CALLGRIND_OUT... > heddle-proxy.order

The profiles come from `valgrind --tool=callgrind --dump-instr=yes`. Valgrind does not recognise the executable's
__managedcode section as part of the executable, so managed code shows up as object "???" at absolute addresses;
valgrind maps a position-independent executable at 0x108000. Each executed address is mapped to the symbol that
contains it; only symbols in __managedcode are written, because the compiler orders only those.
"""
import bisect
import re
import subprocess
import sys

VALGRIND_EXECUTABLE_BASE = 0x108000


def symbols(debug_file):
    result = []
    text = subprocess.run(["nm", "--defined-only", "-n", debug_file], capture_output=True, text=True, check=True).stdout
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            result.append((int(parts[0], 16), parts[1], parts[2]))
    return result


def executed_addresses(profile):
    """(object name, address) of every instruction with a cost line in a callgrind --dump-instr=yes file."""
    objects = {}
    current = None
    position = 0
    for line in open(profile, errors="replace"):
        if not line.strip():
            continue
        first = line[0]
        if first in "0123456789+-*":
            token = line.split()[0]
            if token.startswith("0x"):
                position = int(token, 16)
            elif first in "+-":
                delta = int(token[1:], 16) if token[1:].startswith("0x") else int(token[1:])
                position += delta if first == "+" else -delta
            if current is not None:
                yield current, position
            continue
        match = re.match(r"^(c?ob)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if match:
            kind, number, name = match.groups()
            if name:
                objects[number] = name
            if kind == "ob":
                current = objects.get(number)


def main():
    debug_file, profiles = sys.argv[1], sys.argv[2:]
    table = symbols(debug_file)
    starts = [entry[0] for entry in table]
    managed = [entry[0] for entry in table if entry[2] == "__start___managedcode"]
    ends = [entry[0] for entry in table if entry[2] == "__stop___managedcode"]
    if not managed or not ends:
        sys.exit("touched-symbols.py: no __managedcode section in " + debug_file)
    low, high = managed[0], ends[0]
    touched = {}
    for profile in profiles:
        for name, address in executed_addresses(profile):
            if name == "???":
                address -= VALGRIND_EXECUTABLE_BASE
            elif not name.endswith("/heddle-proxy"):
                continue
            if not low <= address < high:
                continue
            index = bisect.bisect_right(starts, address) - 1
            # Several symbols can share an address (folded bodies, section markers): take each named one.
            start = table[index][0]
            while index >= 0 and table[index][0] == start:
                symbol = table[index][2]
                if not symbol.startswith("__start_"):
                    touched[symbol] = start
                index -= 1
    for symbol, _ in sorted(touched.items(), key=lambda item: (item[1], item[0])):
        print(symbol)


if __name__ == "__main__":
    main()
