#!/usr/bin/env bash
# Regenerates sample.pcap, the capture `deno task demo` replays until the
# traffic simulator lands: real loopback traffic (HTTP over TCP, UDP, ICMP,
# IPv6) recorded with tcpdump. Needs root, tcpdump, ping, python3 and deno.
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)/sample.pcap
tcpdump -i lo -w "$out" -s 0 -U 'not port 22' 2>/dev/null &
dump=$!
sleep 1
python3 -m http.server 18080 --bind 127.0.0.1 >/dev/null 2>&1 &
web=$!
sleep 1
for i in 1 2 3 4 5; do
  deno eval "await (await fetch('http://127.0.0.1:18080/')).text()" >/dev/null
done
ping -c 4 -i 0.2 127.0.0.1 >/dev/null
ping -6 -c 4 -i 0.2 ::1 >/dev/null
for i in 1 2 3; do echo "hello $i" | python3 -c "
import socket,sys; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.sendto(sys.stdin.buffer.read(),('127.0.0.1',5353+$i))"; done
sleep 1
kill "$web" "$dump"
wait "$dump" 2>/dev/null || true
echo "wrote $out"
