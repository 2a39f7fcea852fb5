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
cargo build --release --quiet -p sanad-client --example relay-demo --bin sanad

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

echo "== Two people, end to end encrypted: the sanad CLI =="
# Demo passphrase for both profiles (a real user is asked, without echo).
export SANAD_PASSPHRASE="${SANAD_PASSPHRASE:-demo passphrase, not a real one}"
sanad=./target/release/sanad
alice="$data/profiles/alice"
bob="$data/profiles/bob"
if [ ! -d "$alice" ]; then
  echo "-- sanad init (Alice, in Tunis) and sanad init (Bob, a partner)"
  "$sanad" --profile "$alice" init --relay "$(cat "$data/relay.addr")" --name "Alice"
  "$sanad" --profile "$bob" --lang ar init --relay "$(cat "$data/relay.addr")" --name "Bob"
  echo "-- Alice: sanad invite (she gives this line to Bob over a channel she trusts)"
  invite=$("$sanad" --profile "$alice" invite)
  echo "$invite"
  echo "-- Bob: sanad contact add INVITE --name alice"
  "$sanad" --profile "$bob" contact add "$invite" --name alice
  "$sanad" --profile "$alice" --quiet sync
fi
echo "-- Both compare the safety number (the same digits on both sides):"
"$sanad" --profile "$alice" contact verify Bob
"$sanad" --profile "$bob" --lang ar contact verify alice
echo "-- Bob sends a text and a file; Alice syncs and saves the file"
"$sanad" --profile "$bob" --lang fr send alice "Le rapport de cette semaine suit. — التقرير مرفق"
head -c $((3 * 1024 * 1024)) /dev/urandom > "$data/report.pdf"
"$sanad" --profile "$bob" send alice --file "$data/report.pdf"
"$sanad" --profile "$alice" sync
id=$("$sanad" --profile "$alice" --json inbox | grep -o '"id": "[0-9a-f]*"' | tail -1 | cut -d'"' -f4)
rm -f "$data/report-saved.pdf"
"$sanad" --profile "$alice" save "$id" --out "$data/report-saved.pdf"
cmp "$data/report.pdf" "$data/report-saved.pdf" && echo "-- The saved file is byte-identical."

echo "== Evidence: Bob documents, Alice's desk receives, anyone verifies =="
echo "-- Bob shows his device's evidence key; Alice enrols it (in person, in real life)"
key=$("$sanad" --profile "$bob" --json evidence key | grep -o '"device_key": "[0-9a-f]*"' | cut -d'"' -f4)
"$sanad" --profile "$alice" evidence enrol --key "$key" --label "device 3" --org "Partner organisation Y" --send-to Bob
"$sanad" --profile "$bob" --quiet sync
echo "-- Bob captures a photo and a written testimony for case LY-2026-0042"
head -c $((200 * 1024)) /dev/urandom > "$data/photo.jpg"
"$sanad" --profile "$bob" --lang ar evidence capture "$data/photo.jpg" --case LY-2026-0042 --to alice \
  --field incident_date=2026-03-17 --field testimony_language=ar-LY
echo "قال: أبقونا في الظلام تسعة أيام." | "$sanad" --profile "$bob" evidence capture --testimony-from-stdin --case LY-2026-0042 --to alice
echo "-- Alice's desk syncs: each item is downloaded and checked on arrival"
"$sanad" --profile "$alice" sync
"$sanad" --profile "$alice" --lang fr evidence list
ids=$("$sanad" --profile "$alice" --json evidence list | grep -o '"id": "[0-9a-f]*"' | cut -d'"' -f4)
rm -rf "$data/case-LY-2026-0042"
# shellcheck disable=SC2086
"$sanad" --profile "$alice" evidence export $ids --out "$data/case-LY-2026-0042"
desk_key=$("$sanad" --profile "$alice" --json evidence desk-key | grep -o '"desk_key": "[0-9a-f]*"' | cut -d'"' -f4)
log_key=$("$relay" log-key --data-dir "$data")
echo "-- Anyone, offline, without a profile: sanad verify (the desk key and the relay's log key are published)"
"$sanad" verify --desk-key "$desk_key" --log-key "$log_key" "$data/case-LY-2026-0042"
"$sanad" --profile "$bob" --quiet sync
"$sanad" --profile "$bob" evidence list

echo "== Stopping the relay (SIGTERM: finishes in-flight writes, flushes) =="
stop_relay
trap - EXIT
echo "Relay data (only random IDs, keys and ciphertext) is in $data; remove it with: rm -rf $data"
