#!/usr/bin/env bash
# Installs the Debian packages the build and the test tiers use: mmdebstrap, buildah and skopeo (`make images`
# builds every image from Debian packages, with no Docker daemon), runc (the tests run the database images'
# servers as containers), the real node's runtime and network (containerd, the CNI plugins, nftables, conntrack,
# openssl for the cluster's certificates), Redis (cache tests), Lua 5.1 (Argo CD health check), and what
# `make demo` calls the API with (curl, jq). Idempotent: installs only what is missing.
set -euo pipefail

PACKAGES=(mmdebstrap buildah skopeo runc containerd containernetworking-plugins nftables conntrack iproute2 openssl
  redis-server lua5.1 curl jq)

log() { echo "[system-packages] $*" >&2; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  log "present: ${PACKAGES[*]}"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { log "ERROR: need root (or sudo) to install: ${missing[*]}"; exit 1; }
  SUDO="sudo"
fi
log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
# The tests start their own servers on loopback; the packages' own services are not needed.
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
log "installed: ${missing[*]}"
