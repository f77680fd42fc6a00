#!/usr/bin/env bash
# Starts the SMS test server (example `sms_test_server`) and runs the official Python SDK
# against it. Needs CARGO_TARGET_DIR set as usual and `pip install tencentcloud-sdk-python-sms`
# (PYTHON picks the interpreter, default python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cargo build -q -p certdesk-notify --features testing --example sms_test_server
server="${CARGO_TARGET_DIR:-target}/debug/examples/sms_test_server"
out="$(mktemp)"
"$server" >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
read -r url id key app <"$out"
NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 "${PYTHON:-python3}" "$here/official_sdk_check.py" "$url" "$id" "$key" "$app"
sleep 0.5
grep '^accepted' "$out"
