#!/usr/bin/env bash
# `make demo` and `make demo-down`: the whole TeachTrack platform on the local cluster's real node, for real.
#
#   demo.sh up     start the local cluster (importing the images `make images` built), install the operator's
#                  Helm chart with Helm (CRD, RBAC, the operator Deployment running the operator image), apply
#                  samples/teachtrack-small.yaml (MySQL 9.7), wait for READY, print `kubectl get tt` and call the
#                  API through its Service
#   demo.sh down   uninstall the chart and delete the demo namespace, and the local cluster when the demo started it
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
NAMESPACE="${TEACHTRACK_DEMO_NAMESPACE:-teachtrack-demo}"
OPERATOR_NAMESPACE="teachtrack-system"
RELEASE="teachtrack"
NAME="school-small"
STATE="${REPO_ROOT}/target/demo"
STARTED_CLUSTER="${STATE}/started-cluster"

log() { echo "[demo] $*"; }
fail() { echo "[demo] ERROR: $*" >&2; exit 1; }

# The cluster's own kubectl and Helm (built with the cluster), so the demo needs neither on the PATH.
kube() { "${BIN}/kubectl" --kubeconfig "${KUBECONFIG_LOCAL}" "$@"; }
helm_() { "${BIN}/helm" --kubeconfig "${KUBECONFIG_LOCAL}" "$@"; }

cluster_up() {
  if ! "${SCRIPT_DIR}/cluster.sh" status >/dev/null 2>&1; then
    log "starting the local cluster (control plane and one real node; about a minute when its binaries are built)"
    touch "${STARTED_CLUSTER}"
  fi
  KUBECONFIG_LOCAL="$("${SCRIPT_DIR}/cluster.sh" up | tail -n 1)"
  BIN="$("${SCRIPT_DIR}/k8s-binaries.sh" 2>/dev/null | tail -n 1)"
}

install_operator() {
  # The local cluster's CRD may come from the tests or `make run` as well, so the demo applies it itself and tells the
  # chart to leave it alone (on a cluster of its own the chart installs and upgrades it: crds.create, the default).
  kube apply --server-side --force-conflicts --field-manager=teachtrack-crds -f "${REPO_ROOT}/crds/" >/dev/null
  log "\$ helm upgrade --install ${RELEASE} helm/teachtrack-operator -n ${OPERATOR_NAMESPACE} --create-namespace --set image.pullPolicy=Never --set crds.create=false --wait"
  helm_ upgrade --install "${RELEASE}" "${REPO_ROOT}/helm/teachtrack-operator" -n "${OPERATOR_NAMESPACE}" --create-namespace \
    --set image.pullPolicy=Never --set crds.create=false --wait --timeout 5m >/dev/null
  kube get pods -n "${OPERATOR_NAMESPACE}" -o wide | awk '{printf "  %-50s %-6s %-8s %s\n", $1, $2, $3, $6}'
}

apply_sample() {
  kube create namespace "${NAMESPACE}" --dry-run=client -o yaml | kube apply -f - >/dev/null
  log "\$ kubectl apply -n ${NAMESPACE} -f samples/teachtrack-small.yaml"
  kube apply -n "${NAMESPACE}" -f "${REPO_ROOT}/samples/teachtrack-small.yaml"
}

wait_ready() {
  local start=$SECONDS
  log "\$ kubectl wait -n ${NAMESPACE} tt/${NAME} --for=condition=Ready --timeout=600s"
  if ! kube wait -n "${NAMESPACE}" "tt/${NAME}" --for=condition=Ready --timeout=600s; then
    kube get tt -n "${NAMESPACE}" -o yaml | sed -n '/^  status:/,$p' >&2 || true
    fail "the TeachTrack did not become Ready (operator log: kubectl logs -n ${OPERATOR_NAMESPACE} deploy/${RELEASE}-teachtrack-operator)"
  fi
  log "READY after $((SECONDS - start))s"
  echo
  log "\$ kubectl get tt -n ${NAMESPACE}"
  kube get tt -n "${NAMESPACE}"
  echo
  kube get pods -n "${NAMESPACE}" -o wide | awk '{printf "  %-42s %-6s %-8s %s\n", $1, $2, $3, $6}'
  echo
}

# The API pod's Prometheus metrics, fetched once per look.
metrics() { curl -sf "http://${API_IP}:8080/q/metrics"; }

# Sum of one counter in a metrics text, over the label sets containing a filter (0 when not registered yet).
count() {
  awk -v m="$2" -v f="$3" 'index($0, m"{")==1 && index($0, f) {s+=$NF} END {printf "%d", s}' <<<"$1"
}

call_api() {
  local service_ip
  service_ip=$(kube get service -n "${NAMESPACE}" "${NAME}-api" -o jsonpath='{.spec.clusterIP}')
  API_IP=$(kube get pods -n "${NAMESPACE}" -l app.kubernetes.io/component=api -o json \
      | jq -r '[.items[] | select(any(.status.conditions[]?; .type == "Ready" and .status == "True")) | .status.podIP][0] // empty')
  [ -n "${API_IP}" ] || fail "no ready API pod"
  local base="http://${service_ip}:8080/api/v1"
  local password
  password=$(kube get secret -n "${NAMESPACE}" "${NAME}-credentials" -o jsonpath='{.data.admin-password}' | base64 -d)
  log "calling the API through its Service ${NAME}-api (ClusterIP ${service_ip}, routed to the node's bridge)"
  log "\$ curl -X POST ${base}/auth/token -d '{\"username\":\"admin\",\"password\":\"<admin-password from Secret ${NAME}-credentials>\"}'"
  local token
  token=$(curl -sf -X POST "${base}/auth/token" -H 'Content-Type: application/json' \
      -d "{\"username\":\"admin\",\"password\":\"${password}\"}" | jq -r .token) || fail "no token"
  echo "  token: ${token:0:24}... (RS256 JWT)"
  local code="DEMO-$(date +%s)"
  log "\$ curl -X POST ${base}/subjects -H 'Authorization: Bearer ...' -d '{\"code\":\"${code}\",\"name\":\"Physics\"}'"
  local created id
  created=$(curl -sf -X POST "${base}/subjects" -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' \
      -d "{\"code\":\"${code}\",\"name\":\"Physics\"}") || fail "creating a subject failed"
  echo "  ${created}"
  id=$(jq -r .id <<<"${created}")
  sleep 1 # the replicas apply the write (the API keeps the writer's reads on the primary until they have)
  # Keyset page starting right before the new subject: a page nobody has read yet, so the first read misses the cache.
  # The reads go to one API pod (${API_IP}), so that its metrics tell where each read came from.
  base="http://${API_IP}:8080/api/v1"
  local before after body
  # Whether a counter went up between the metrics taken before and after a read.
  grew() { [ "$(count "${after}" "$1" "$2")" -gt "$(count "${before}" "$1" "$2")" ]; }
  for read in 1 2; do
    before=$(metrics)
    log "\$ curl '${base}/subjects?after=$((id - 1))&limit=1' -H 'Authorization: Bearer ...'   (read ${read})"
    body=$(curl -sf "${base}/subjects?after=$((id - 1))&limit=1" -H "Authorization: Bearer ${token}") || fail "reading the subject failed"
    echo "  ${body}"
    jq -e --argjson id "${id}" '.items[0].id == $id' <<<"${body}" >/dev/null || fail "read ${read} did not return subject ${id}"
    after=$(metrics)
    local source="not cached"
    if grew teachtrack_cache_requests_total 'result="hit"'; then source="cache hit (Redis)"
    elif grew teachtrack_cache_requests_total 'result="miss"'; then
      if grew teachtrack_db_routes_total 'target="replica"'; then source="cache miss, read from a MySQL replica"
      elif grew teachtrack_db_routes_total 'target="primary"'; then source="cache miss, read from the MySQL primary"
      else source="cache miss"; fi
    fi
    echo "  -> ${source} (from the pod's /q/metrics)"
  done
}

up() {
  local t0=$SECONDS
  mkdir -p "${STATE}"
  cluster_up
  install_operator
  apply_sample
  wait_ready
  call_api
  echo
  log "done in $((SECONDS - t0))s. Try:"
  echo "  export KUBECONFIG=${KUBECONFIG_LOCAL}"
  echo "  kubectl get tt,pods -n ${NAMESPACE}"
  echo "  kubectl describe tt ${NAME} -n ${NAMESPACE}"
  echo "  make demo-down      # stops everything the demo started"
}

down() {
  if "${SCRIPT_DIR}/cluster.sh" status >/dev/null 2>&1; then
    cluster_up
    log "deleting namespace ${NAMESPACE} and uninstalling the operator"
    kube delete namespace "${NAMESPACE}" --ignore-not-found --wait=true --timeout=120s >/dev/null || true
    helm_ uninstall "${RELEASE}" -n "${OPERATOR_NAMESPACE}" --ignore-not-found >/dev/null || true
    kube delete namespace "${OPERATOR_NAMESPACE}" --ignore-not-found --wait=false >/dev/null
  else
    log "the local cluster is not running"
  fi
  if [ -f "${STARTED_CLUSTER}" ]; then
    log "stopping the local cluster (the demo started it)"
    "${SCRIPT_DIR}/cluster.sh" down
    rm -f "${STARTED_CLUSTER}"
  fi
  log "stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
