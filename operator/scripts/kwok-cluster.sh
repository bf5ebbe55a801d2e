#!/usr/bin/env bash
# A control plane with fake nodes, for the scale benchmark (and the tests not yet on the real node): a kwokctl cluster
# with the binary runtime (real etcd, kube-apiserver, kube-controller-manager, kube-scheduler)
# bound to 127.0.0.1, plus fake nodes managed by kwok so Deployments and StatefulSets get
# pods that become Running and Ready. Pod IPs come from 127.0.0.0/8, so processes standing in
# for pods can bind to them.
#
#   kwok-cluster.sh up        start (a no-op when already running); prints the kubeconfig path
#   kwok-cluster.sh down      stop and delete the cluster
#   kwok-cluster.sh status    exit 0 when the cluster answers
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
CLUSTER_NAME="${TEACHTRACK_CLUSTER_NAME:-teachtrack}"
NODE_COUNT="${TEACHTRACK_CLUSTER_NODES:-3}"
# Each fake node gets the next /24 of this range (127.20.0.0/24, 127.20.1.0/24, ...).
NODE_POD_CIDR="${TEACHTRACK_NODE_POD_CIDR:-127.20.0.0/24}"
CACHE_ROOT="${TEACHTRACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/teachtrack}"
# kwokctl keeps the cluster's state here, outside the repo, so `mvn clean` cannot pull it away.
export KWOK_WORKDIR="${CACHE_ROOT}/kwok"
KWOK_LOG="${KWOK_WORKDIR}/kwokctl-${CLUSTER_NAME}.log"
KUBECONFIG_OUT="${TEACHTRACK_KUBECONFIG:-${REPO_ROOT}/target/kwok-cluster/kubeconfig}"

log() { echo "[kwok-cluster] $*" >&2; }

bin_dir() { "${SCRIPT_DIR}/k8s-binaries.sh" | tail -n 1; }

kwokctl_() { "${BIN}/kwokctl" --name "${CLUSTER_NAME}" "$@"; }

# kwokctl's own kubeconfig, shared by every checkout on this machine.
KWOK_KUBECONFIG="${KWOK_WORKDIR}/clusters/${CLUSTER_NAME}/kubeconfig.yaml"

# A cluster from an older version of this script (without the audit log the tests read) is recreated.
answers() {
  [ -f "${KWOK_KUBECONFIG}" ] && [ -f "${KWOK_WORKDIR}/clusters/${CLUSTER_NAME}/logs/audit.log" ] && "${BIN}/kubectl" --kubeconfig "${KWOK_KUBECONFIG}" --request-timeout=5s get --raw /readyz >/dev/null 2>&1
}

write_config() {
  local cfg="$1"
  local audit="${SCRIPT_DIR}/cluster/audit-policy.yaml"
  cat > "$cfg" <<YAML
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: $("${BIN}/kube-apiserver" --version | awk '{print $2}')
  kubeApiserverBinary: ${BIN}/kube-apiserver
  kubeControllerManagerBinary: ${BIN}/kube-controller-manager
  kubeSchedulerBinary: ${BIN}/kube-scheduler
  kubectlBinary: ${BIN}/kubectl
  etcdBinary: ${BIN}/etcd
  kwokControllerBinary: ${BIN}/kwok
  kubeAuditPolicy: ${audit}
YAML
}

wait_for_nodes() {
  local deadline=$((SECONDS + 120))
  while :; do
    local ready
    ready=$("${BIN}/kubectl" --kubeconfig "${KUBECONFIG_OUT}" get nodes --no-headers 2>/dev/null | awk '$2=="Ready"' | wc -l)
    [ "$ready" -ge "$NODE_COUNT" ] && { log "${ready} nodes Ready"; return 0; }
    [ $SECONDS -ge $deadline ] && { log "ERROR: only ${ready}/${NODE_COUNT} nodes Ready after 120s"; return 1; }
    sleep 2
  done
}

up() {
  BIN="$(bin_dir)"
  mkdir -p "$(dirname "${KUBECONFIG_OUT}")" "${KWOK_WORKDIR}"
  if answers; then
    log "cluster '${CLUSTER_NAME}' already running"
    kwokctl_ get kubeconfig > "${KUBECONFIG_OUT}"
    echo "${KUBECONFIG_OUT}"; return 0
  fi
  local t0=$SECONDS
  if kwokctl_ get clusters 2>/dev/null | grep -qx "${CLUSTER_NAME}" \
      && [ ! -f "${KWOK_WORKDIR}/clusters/${CLUSTER_NAME}/logs/audit.log" ]; then
    log "cluster '${CLUSTER_NAME}' predates the audit log: recreating it"
    kwokctl_ delete cluster >>"${KWOK_LOG}" 2>&1 || true
  fi
  if kwokctl_ get clusters 2>/dev/null | grep -qx "${CLUSTER_NAME}"; then
    # Restarting a stopped cluster brings back stale nodes whose leases the old kwok still holds: the new kwok
    # leaves their pods Pending for minutes (seen on CI after a machine restart). A fresh cluster is as quick.
    log "cluster '${CLUSTER_NAME}' exists but does not answer: recreating it"
    kwokctl_ delete cluster >>"${KWOK_LOG}" 2>&1 || true
  fi
  if ! kwokctl_ get clusters 2>/dev/null | grep -qx "${CLUSTER_NAME}"; then
    log "creating cluster '${CLUSTER_NAME}' (binary runtime, 127.0.0.1, node pod CIDRs from ${NODE_POD_CIDR})"
    local cfg="${KWOK_WORKDIR}/teachtrack-kwokctl.yaml"
    write_config "$cfg"
    kwokctl_ create cluster --config "$cfg" --wait 3m --kubeconfig "" >>"${KWOK_LOG}" 2>&1 \
      || { tail -n 30 "${KWOK_LOG}" >&2; log "ERROR: kwokctl could not create the cluster (log: ${KWOK_LOG})"; exit 1; }
  fi
  kwokctl_ get kubeconfig > "${KUBECONFIG_OUT}"
  local have
  have=$("${BIN}/kubectl" --kubeconfig "${KUBECONFIG_OUT}" get nodes --no-headers 2>/dev/null | wc -l)
  if [ "$have" -lt "$NODE_COUNT" ]; then
    log "scaling to ${NODE_COUNT} fake nodes"
    # Pod IPs from loopback, so that processes standing in for pods can bind to them.
    kwokctl_ scale node --replicas "${NODE_COUNT}" \
      --param ".podCIDRs=[\"${NODE_POD_CIDR}\"]" --param '.nodeIPs=["127.19.0.1"]' >>"${KWOK_LOG}" 2>&1
  fi
  wait_for_nodes
  log "cluster ready in $((SECONDS - t0))s; kubeconfig: ${KUBECONFIG_OUT}"
  echo "${KUBECONFIG_OUT}"
}

down() {
  BIN="$(bin_dir)"
  mkdir -p "${KWOK_WORKDIR}"
  if kwokctl_ get clusters 2>/dev/null | grep -qx "${CLUSTER_NAME}"; then
    log "deleting cluster '${CLUSTER_NAME}'"
    kwokctl_ delete cluster >>"${KWOK_LOG}" 2>&1
  else
    log "no cluster '${CLUSTER_NAME}'"
  fi
  rm -f "${KUBECONFIG_OUT}"
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) BIN="$(bin_dir)"; answers ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
