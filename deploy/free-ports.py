#!/usr/bin/env python3
"""Prints N distinct TCP ports free on 127.0.0.1, one per line.

Ports come from below the kernel's ephemeral range, never from it: a port the kernel hands out
for bind(0) is also one it hands to outgoing connections, so between picking it and a service
binding it, a service's own connection to Redis or PostgreSQL could take it. All N sockets are
held open together while picking, so no two of the printed ports are the same.
"""
import random
import socket
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1
with open("/proc/sys/net/ipv4/ip_local_port_range") as range_file:
    ephemeral_low = int(range_file.read().split()[0])
low = 10000
high = max(low + 1000, ephemeral_low) - 1
held = []
ports = []
try:
    for _ in range(100 * count):
        if len(ports) == count:
            break
        port = random.randint(low, high)
        if port in ports:
            continue
        candidate = socket.socket()
        try:
            candidate.bind(("127.0.0.1", port))
        except OSError:
            candidate.close()
            continue
        held.append(candidate)
        ports.append(port)
finally:
    for candidate in held:
        candidate.close()
if len(ports) < count:
    sys.exit(f"free-ports: found only {len(ports)} of {count} free ports in {low}-{high}")
print("\n".join(str(port) for port in ports))
