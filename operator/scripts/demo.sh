#!/usr/bin/env bash
# `make demo` and `make demo-down`: the whole TeachTrack platform on the local cluster, for real.
#
#   demo.sh up     build, start the local cluster, install the CRD and the chart's operator RBAC, run the
#                  operator and the pod supervisor (a real process for every pod), apply the production sample
#                  (MySQL 9.7), wait for READY, print `kubectl get tt` and call the API through an API pod
#   demo.sh down   stop the operator and every pod process; delete the demo namespace, and the local cluster
#                  when the demo started it
#
# The pod supervisor is demo and test tooling (operator/src/test/.../testing/pods): kwok marks pods Running but
# runs nothing, so it starts each MySQL pod's image under runc, Redis and the API image's jar on the pods' IPs
# (127.20.x.y).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
NAMESPACE="${TEACHTRACK_DEMO_NAMESPACE:-teachtrack-demo}"
NAME="school-prod"
STATE="${REPO_ROOT}/target/demo"
PID_FILE="${STATE}/platform.pid"
PLATFORM_LOG="${STATE}/platform.log"
STARTED_CLUSTER="${STATE}/started-cluster"
JAVA_BIN="${JAVA_HOME:?JAVA_HOME must point to a JDK 21 or newer (the Makefile sets it)}/bin/java"
MVN=("${REPO_ROOT}/mvnw" -B -ntp)

log() { echo "[demo] $*"; }
fail() { echo "[demo] ERROR: $*" >&2; exit 1; }

running() { [ -f "${PID_FILE}" ] && kill -0 "$(cat "${PID_FILE}")" 2>/dev/null; }

# The cluster's own kubectl (built with the control plane), so the demo needs no kubectl on the PATH.
kube() { "${KUBECTL}" --kubeconfig "${KUBECONFIG_LOCAL}" "$@"; }

cluster_up() {
  if ! "${SCRIPT_DIR}/local-cluster.sh" status >/dev/null 2>&1; then
    log "starting the local cluster (kube-apiserver, etcd, controller-manager, scheduler, kwok)"
    touch "${STARTED_CLUSTER}"
  fi
  KUBECONFIG_LOCAL="$("${SCRIPT_DIR}/local-cluster.sh" up | tail -n 1)"
  KUBECTL="$("${SCRIPT_DIR}/k8s-binaries.sh" | tail -n 1)/kubectl"
}

build() {
  log "building the operator, the API image's jar and the demo tooling (mvn package -DskipTests)"
  # (Maven's own JDK 25 deprecation warnings are dropped; a build failure still stops the demo.)
  # One build: the classpath goal then resolves the test kit from this reactor. Every module writes the same file;
  # the operator, built last, has the final word.
  (cd "${REPO_ROOT}" && "${MVN[@]}" -q package -DskipTests dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="${STATE}/classpath.txt" 2>&1 | sed '/^WARNING: /d')
}

start_platform() {
  if running; then
    log "the operator and the pod supervisor already run (pid $(cat "${PID_FILE}"))"
    return
  fi
  rm -rf "${STATE}/pods"
  log "starting the operator (as the chart configures it, MySQL address mode pod-ip) and the pod supervisor"
  local cp="${REPO_ROOT}/operator/target/test-classes:${REPO_ROOT}/operator/target/classes:$(cat "${STATE}/classpath.txt")"
  # Its own session, so that demo-down can also reach every process it started through the process group.
  cd "${REPO_ROOT}/operator" # the tooling finds the repository from the operator module, as in the tests
  KUBECONFIG="${KUBECONFIG_LOCAL}" setsid "${JAVA_BIN}" -Xmx512m -cp "${cp}" io.teachtrack.operator.testing.demo.DemoPlatform \
      "${NAMESPACE}" "${STATE}/pods" >"${PLATFORM_LOG}" 2>&1 < /dev/null &
  echo $! > "${PID_FILE}"
  local deadline=$((SECONDS + 180))
  until grep -q '^\[demo\] platform ready' "${PLATFORM_LOG}" 2>/dev/null; do
    running || { tail -n 40 "${PLATFORM_LOG}" >&2; fail "the platform process exited (log: ${PLATFORM_LOG})"; }
    [ $SECONDS -lt $deadline ] || { tail -n 40 "${PLATFORM_LOG}" >&2; fail "the operator was not ready after 180s (log: ${PLATFORM_LOG})"; }
    sleep 1
  done
  log "operator ready; pod processes log to ${STATE}/pods/<pod>/"
}

apply_sample() {
  # The production sample as committed: MySQL 9.7 from the image `make images` builds.
  log "\$ kubectl apply -n ${NAMESPACE} -f samples/teachtrack-production.yaml"
  kube apply -n "${NAMESPACE}" -f "${REPO_ROOT}/samples/teachtrack-production.yaml"
}

wait_ready() {
  local start=$SECONDS
  log "\$ kubectl wait -n ${NAMESPACE} tt/${NAME} --for=condition=Ready --timeout=600s"
  if ! kube wait -n "${NAMESPACE}" "tt/${NAME}" --for=condition=Ready --timeout=600s; then
    kube get tt -n "${NAMESPACE}" -o yaml | sed -n '/^  status:/,$p' >&2 || true
    fail "the TeachTrack did not become Ready (operator log: ${REPO_ROOT}/operator/target/operator-${NAMESPACE}.log)"
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
  API_IP=$(kube get pods -n "${NAMESPACE}" -l app.kubernetes.io/component=api -o json \
      | jq -r '[.items[] | select(any(.status.conditions[]?; .type == "Ready" and .status == "True")) | .status.podIP][0] // empty')
  [ -n "${API_IP}" ] || fail "no ready API pod"
  local base="http://${API_IP}:8080/api/v1"
  local password
  password=$(kube get secret -n "${NAMESPACE}" "${NAME}-credentials" -o jsonpath='{.data.admin-password}' | base64 -d)
  log "calling the API through pod IP ${API_IP}"
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
  build
  start_platform
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
  if running; then
    local pid
    pid=$(cat "${PID_FILE}")
    log "stopping the operator and every pod process (pid ${pid})"
    kill -TERM "${pid}"
    for _ in $(seq 1 60); do kill -0 "${pid}" 2>/dev/null || break; sleep 1; done
    # Anything still alive in its process group (a process that ignored SIGTERM) goes now.
    kill -KILL -- "-${pid}" 2>/dev/null || true
  else
    log "the operator and the pod supervisor are not running"
  fi
  rm -f "${PID_FILE}"
  if [ -f "${STARTED_CLUSTER}" ]; then
    log "deleting the local cluster (the demo started it)"
    "${SCRIPT_DIR}/local-cluster.sh" down
    rm -f "${STARTED_CLUSTER}"
  elif "${SCRIPT_DIR}/local-cluster.sh" status >/dev/null 2>&1; then
    cluster_up
    log "deleting namespace ${NAMESPACE} (the cluster was running before the demo: it stays)"
    kube delete namespace "${NAMESPACE}" --ignore-not-found --wait=false
  fi
  rm -rf "${STATE}/pods"
  log "stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
