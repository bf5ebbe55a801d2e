#!/bin/bash
# Runs a command beside N CPU-bound loops (`while :; do :; done`), as a busy CI machine or another build would load
# this one, and stops the loops however the command ends. No test may depend on the machine's speed: `make
# test-under-load` is how that is checked. Usage: under-load.sh N command [args...]
set -euo pipefail

loops="${1:?usage: under-load.sh N command [args...]}"
shift
case "$loops" in ''|*[!0-9]*) echo "[under-load] N must be a number, not '$loops'" >&2; exit 2 ;; esac

pids=()
stop_loops() {
  [ "${#pids[@]}" -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
}
trap stop_loops EXIT INT TERM

for _ in $(seq "$loops"); do
  sh -c 'while :; do :; done' &
  pids+=("$!")
done
echo "[under-load] ${loops} CPU-bound loops running on $(nproc) cores beside: $*" >&2
start=$SECONDS
status=0
"$@" || status=$?
echo "[under-load] '$*' ended with status ${status} after $((SECONDS - start)) s beside ${loops} CPU-bound loops" >&2
exit "$status"
