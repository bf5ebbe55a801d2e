#!/usr/bin/env bash
# Provides the real Kubernetes control-plane binaries the test tiers and `make cluster` use:
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (one pinned release),
# etcd (3.5.x), kwok and kwokctl (pinned), in a cache outside the repository.
#
# Release binaries cannot be downloaded on the build machines, so when no binaries exist
# (neither in the cache nor in $KUBEBUILDER_ASSETS) they are built with Go from the Go
# module proxy. Idempotent: a binary that exists and reports the pinned version is kept.
#
# `k8s-binaries.sh node` builds the components of a real node instead: kubelet and kube-proxy (same release),
# CoreDNS and metrics-server (pinned), Helm, helm-docs and promtool, into the same directory.
#
# Prints the binary directory on its last line of stdout; progress goes to stderr.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.5.21}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
# A real node's own components (`k8s-binaries.sh node`): kubelet and kube-proxy of K8S_VERSION, and these.
COREDNS_VERSION="${COREDNS_VERSION:-v1.12.1}"
METRICS_SERVER_VERSION="${METRICS_SERVER_VERSION:-v0.8.0}"
# Helm, for `make demo`'s chart install (the tests use the same Helm through helm-java).
HELM_VERSION="${HELM_VERSION:-v3.19.5}"
# helm-docs writes the chart's README from its values' comments (`make chart-docs`; a test keeps it in step).
HELM_DOCS_VERSION="${HELM_DOCS_VERSION:-v1.14.2}"
# promtool checks the chart's alerting rules and runs their unit tests (Prometheus 3.16.0, whose Go module is v0.316.0).
PROMTOOL_VERSION="${PROMTOOL_VERSION:-v0.316.0}"
CACHE_ROOT="${TEACHTRACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/teachtrack}"
BIN_DIR="${CACHE_ROOT}/k8s-${K8S_VERSION}/bin"
BUILD_DIR="${CACHE_ROOT}/k8s-${K8S_VERSION}/build"

log() { echo "[k8s-binaries] $*" >&2; }

require_go() {
  command -v go >/dev/null 2>&1 || { log "ERROR: Go is required to build the control plane (no binaries found)"; exit 1; }
}

# A binary is usable when it runs and reports the pinned version.
has_version() { # <path> <version-args...> ; expected version in $EXPECT
  local path="$1"; shift
  [ -x "$path" ] && "$path" "$@" 2>&1 | grep -q -- "$EXPECT"
}

# Reuse binaries from $KUBEBUILDER_ASSETS (envtest layout) when they are the pinned release.
adopt_kubebuilder_assets() {
  [ -n "${KUBEBUILDER_ASSETS:-}" ] || return 0
  for b in kube-apiserver etcd kubectl kube-controller-manager kube-scheduler kwok kwokctl; do
    if [ -x "${KUBEBUILDER_ASSETS}/$b" ] && [ ! -e "${BIN_DIR}/$b" ]; then
      log "using ${KUBEBUILDER_ASSETS}/$b"
      ln -s "${KUBEBUILDER_ASSETS}/$b" "${BIN_DIR}/$b"
    fi
  done
}

# Builds the given commands of k8s.io/kubernetes (default: the control plane) from one throwaway module.
build_kubernetes() {
  local commands=("$@")
  [ ${#commands[@]} -gt 0 ] || commands=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local staging="v0.${K8S_VERSION#v1.}"
  local mod="${BUILD_DIR}/kubernetes" missing=() cmd
  for cmd in "${commands[@]}"; do
    EXPECT="${K8S_VERSION}"
    has_version "${BIN_DIR}/$cmd" --version || has_version "${BIN_DIR}/$cmd" version --client || missing+=("$cmd")
  done
  # Preparing the module resolves every dependency (seconds even when cached): only when something is missing.
  if [ ${#missing[@]} -eq 0 ]; then
    log "${commands[*]} ${K8S_VERSION} already built"; return
  fi
  mkdir -p "$mod"
  log "preparing a throwaway Go module for k8s.io/kubernetes ${K8S_VERSION} (staging modules ${staging})"
  (
    cd "$mod"
    export GOFLAGS=-mod=mod GOTOOLCHAIN=local
    go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" >/dev/null
    local src; src="$(go env GOMODCACHE)/k8s.io/kubernetes@${K8S_VERSION}"
    {
      echo "module teachtrack.local/k8sbuild"
      echo
      echo "go $(awk '/^go /{print $2; exit}' "$src/go.mod")"
      echo
      echo "require k8s.io/kubernetes ${K8S_VERSION}"
      echo
      # Every staging module k8s.io/kubernetes replaces with ./staging/... maps to its published tag.
      grep -E '^\s*k8s\.io/[^ ]+ => \./staging/' "$src/go.mod" \
        | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
    } > go.mod
    {
      printf '//go:build tools\n\npackage k8sbuild\n\nimport (\n'
      for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl "${commands[@]}"; do
        printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$cmd"
      done | sort -u
      printf ')\n'
    } > tools.go
    log "resolving dependencies (go mod tidy)"
    go mod tidy -e >/dev/null 2>&1 || true
    go mod download
    local date; date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    local ld=""
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld+=" -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
      ld+=" -X ${pkg}.gitCommit=0000000000000000000000000000000000000000 -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=${date}"
    done
    for cmd in "${missing[@]}"; do
      log "building $cmd ${K8S_VERSION} (this takes several minutes on 2 cores)"
      local t0=$SECONDS
      CGO_ENABLED=0 go build -trimpath -ldflags "-s -w${ld}" -o "${BIN_DIR}/$cmd" "k8s.io/kubernetes/cmd/$cmd"
      log "built $cmd in $((SECONDS - t0))s"
    done
  )
}

build_etcd() {
  EXPECT="${ETCD_VERSION#v}"
  if has_version "${BIN_DIR}/etcd" --version; then log "etcd ${ETCD_VERSION} already built"; return; fi
  local mod="${BUILD_DIR}/etcd"
  mkdir -p "$mod"
  log "building etcd ${ETCD_VERSION} from go.etcd.io/etcd/server/v3"
  (
    cd "$mod"
    export GOFLAGS=-mod=mod GOTOOLCHAIN=local
    cat > go.mod <<GOMOD
module teachtrack.local/etcdbuild

go 1.23

require go.etcd.io/etcd/server/v3 ${ETCD_VERSION}
GOMOD
    cat > tools.go <<'GO'
//go:build tools

package etcdbuild

import _ "go.etcd.io/etcd/server/v3"
GO
    go mod tidy -e >/dev/null 2>&1 || true
    local t0=$SECONDS
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${BIN_DIR}/etcd" go.etcd.io/etcd/server/v3
    log "built etcd in $((SECONDS - t0))s"
  )
}

build_kwok() {
  EXPECT="${KWOK_VERSION#v}"
  for cmd in kwok kwokctl; do
    if has_version "${BIN_DIR}/$cmd" --version; then log "$cmd ${KWOK_VERSION} already built"; continue; fi
    log "building $cmd ${KWOK_VERSION}"
    local t0=$SECONDS
    # kwok reports its version from these variables (set by its own release build).
    GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="${BIN_DIR}" go install -trimpath \
      -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${K8S_VERSION#v}" \
      "sigs.k8s.io/kwok/cmd/${cmd}@${KWOK_VERSION}"
    log "built $cmd in $((SECONDS - t0))s"
  done
}

# `go install` of one pinned module version; a marker file records the version a binary was built from.
build_go_tool() { # <binary> <package> <version> [build tags]
  local binary="$1" package="$2" version="$3" tags="${4:-}" marker="${BIN_DIR}/.${1}.version"
  local built="${package}@${version}${tags:+ tags=${tags}}"
  if [ -x "${BIN_DIR}/${binary}" ] && [ "$(cat "$marker" 2>/dev/null)" = "$built" ]; then
    log "${binary} ${version} already built"; return
  fi
  log "building ${binary} ${version} (${package}${tags:+, tags ${tags}})"
  local t0=$SECONDS
  GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="${BIN_DIR}" go install -trimpath -tags "$tags" -ldflags "-s -w" "${package}@${version}"
  echo "$built" > "$marker"
  log "built ${binary} in $((SECONDS - t0))s"
}

build_node() {
  require_go
  local t0=$SECONDS
  log "building the node components into ${BIN_DIR}"
  build_kubernetes kubelet kube-proxy
  build_go_tool coredns github.com/coredns/coredns "${COREDNS_VERSION}"
  build_go_tool metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server "${METRICS_SERVER_VERSION}"
  build_go_tool helm helm.sh/helm/v3/cmd/helm "${HELM_VERSION}"
  build_go_tool helm-docs github.com/norwoodj/helm-docs/cmd/helm-docs "${HELM_DOCS_VERSION}"
  # Without the service discovery plugins (cloud SDKs the rule checks never use): 54 MB to build instead of 88.
  build_go_tool promtool github.com/prometheus/prometheus/cmd/promtool "${PROMTOOL_VERSION}" remove_all_sd
  log "node components ready in $((SECONDS - t0))s"
}

main() {
  mkdir -p "$BIN_DIR" "$BUILD_DIR"
  if [ "${1:-}" = node ]; then
    build_node
    echo "${BIN_DIR}"
    return
  fi
  adopt_kubebuilder_assets
  local missing=0
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok kwokctl; do
    [ -x "${BIN_DIR}/$b" ] || missing=1
  done
  if [ "$missing" = 1 ]; then
    require_go
    local t0=$SECONDS
    log "building missing control-plane binaries into ${BIN_DIR}"
    build_etcd
    build_kwok
    build_kubernetes
    log "control-plane binaries ready in $((SECONDS - t0))s"
  else
    log "control-plane binaries present in ${BIN_DIR}"
  fi
  echo "${BIN_DIR}"
}

main "$@"
