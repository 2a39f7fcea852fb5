#!/usr/bin/env bash
# Sanad demo: build, start a relay on loopback with embedded storage in
# ./demo-data, run a client against it, stop the relay cleanly.
#   SANAD_DEMO_PORT   port to use (default 7443)
#   SANAD_DEMO_MIB    size of the demo blob in MiB (default 48)
set -euo pipefail
cd "$(dirname "$0")"
port="${SANAD_DEMO_PORT:-7443}"
data="./demo-data"

echo "== Building (release) =="
cargo build --release --quiet -p sanad-relay --bin sanad-relay
cargo build --release --quiet -p sanad-client --example relay-demo

relay=./target/release/sanad-relay
if [ ! -f "$data/relay.addr" ]; then
  echo "== sanad-relay init =="
  "$relay" init --data-dir "$data" --public-host 127.0.0.1 --port "$port"
fi

echo "== sanad-relay run (QUIC on UDP $port, TLS/TCP fallback on TCP $port) =="
"$relay" run --data-dir "$data" --listen "127.0.0.1:$port" &
relay_pid=$!
stop_relay() {
  if kill -0 "$relay_pid" 2>/dev/null; then
    kill -TERM "$relay_pid"
    wait "$relay_pid" || true
  fi
}
trap stop_relay EXIT

echo "== Client =="
./target/release/examples/relay-demo --relay "$(cat "$data/relay.addr")" --size-mib "${SANAD_DEMO_MIB:-48}"

echo "== Stopping the relay (SIGTERM: finishes in-flight writes, flushes) =="
stop_relay
trap - EXIT
echo "Relay data (only random IDs, keys and ciphertext) is in $data; remove it with: rm -rf $data"
