#!/usr/bin/env bash
# The local Kubernetes cluster of `make cluster`, the tests and the demo: a control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler) and one real node (containerd and runc from Debian, the CNI bridge
# plugin, kubelet, kube-proxy in nftables mode), with CoreDNS, metrics-server and a volume provisioner, all on a
# private bridge that exists only on this machine. Images come from `make images` and are imported into the node;
# nothing is pulled. Nothing leaves the machine: no masquerading, no DNS forwarding, and an nftables guard drops
# (and counts) anything from the cluster's ranges that would leave through another interface.
#
#   cluster.sh up        start (a no-op when the cluster answers; changed images are imported again)
#   cluster.sh down      stop everything and put the machine back as it was (processes, mounts, network
#                        namespaces, the bridge, nft tables, sysctls)
#   cluster.sh status    exit 0 when the API server answers and the node is Ready
#   cluster.sh import    import the images of `make images` that changed into the node
#   cluster.sh tag SOURCE TARGET   give an image the node holds a second name (a "new version" for rollout tests)
#   cluster.sh guard     print the guard's dropped packet count
#   cluster.sh leftovers print what `down` should have removed and is still there (empty when clean)
#
# Needs root. The binaries come from k8s-binaries.sh and the node's images from images.sh, both cached outside the
# repository. Progress goes to stderr; `up` prints the kubeconfig path on its last line of stdout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
CLUSTER_NAME="${TEACHTRACK_CLUSTER_NAME:-teachtrack}"
CACHE_ROOT="${TEACHTRACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/teachtrack}"
STATE="${CACHE_ROOT}/cluster/${CLUSTER_NAME}"
PKI="${STATE}/pki"
LOGS="${STATE}/logs"
PIDS="${STATE}/pids"
VOLUMES="${STATE}/volumes"
# Kept across `down`: the node's image store, so an unchanged image is not imported again.
CONTAINERD_ROOT="${CACHE_ROOT}/cluster/containerd"
KUBECONFIG_OUT="${TEACHTRACK_KUBECONFIG:-${REPO_ROOT}/target/cluster/kubeconfig}"

# One private /24 for the node and its pods (the node is .1 on the bridge), the next /24 for Services.
BRIDGE="${TEACHTRACK_CLUSTER_BRIDGE:-teachtrack0}"
NODE_IP="10.213.0.1"
POD_SUBNET="10.213.0.0/24"
SERVICE_CIDR="10.213.1.0/24"
API_SERVICE_IP="10.213.1.1"
DNS_IP="10.213.1.10"
CLUSTER_RANGES="10.213.0.0/23"
CLUSTER_DOMAIN="cluster.local"
NODE_NAME="${CLUSTER_NAME}-node"
API_PORT=6443
ETCD_PORT=12379
GUARD_TABLE="teachtrack_guard"
# containerd 1.6 and the CNI plugins keep some state at these fixed paths.
CONTAINERD_STATE="/run/containerd"
CONTAINERD_SOCKET="${CONTAINERD_STATE}/containerd.sock"
FIXED_PATHS=(/run/containerd /var/lib/cni /run/netns /var/log/pods /var/log/containers)
# Every sysctl the node's components may change; `up` records them and `down` restores them.
SYSCTLS=(net.ipv4.ip_forward net.ipv6.conf.all.forwarding net.ipv4.conf.all.route_localnet
  net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.netfilter.nf_conntrack_max
  net.netfilter.nf_conntrack_tcp_timeout_established net.netfilter.nf_conntrack_tcp_timeout_close_wait
  vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes)
IMAGE_PREFIX="localhost/teachtrack"
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy provisioner)

log() { echo "[cluster] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

kubectl_() { "${BIN}/kubectl" --kubeconfig "${STATE}/admin.kubeconfig" "$@"; }
ctr_() { ctr --address "${CONTAINERD_SOCKET}" --namespace k8s.io "$@"; }

binaries() {
  BIN="$("${SCRIPT_DIR}/k8s-binaries.sh" | tail -n 1)"
  "${SCRIPT_DIR}/k8s-binaries.sh" node >/dev/null
}

# ---- processes -------------------------------------------------------------------------------------------------

pid_of() { cat "${PIDS}/$1.pid" 2>/dev/null || true; }
running() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

start() { # <name> <command...>: a daemon in its own session, logging to ${LOGS}/<name>.log
  local name="$1"; shift
  mkdir -p "$LOGS" "$PIDS"
  setsid "$@" >>"${LOGS}/${name}.log" 2>&1 </dev/null &
  echo $! > "${PIDS}/${name}.pid"
}

stop() { # <name> [seconds]: SIGTERM, then SIGKILL once the grace period is over
  local name="$1" grace="${2:-20}" pid
  pid="$(pid_of "$name")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "${PIDS}/${name}.pid"
}

wait_for() { # <description> <seconds> <command...>
  local what="$1" timeout="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "${what} not ready after ${timeout}s (logs: ${LOGS})"
    sleep 1
  done
}

# ---- certificates ----------------------------------------------------------------------------------------------

certificate() { # <name> <subject> <extendedKeyUsage> [subjectAltName]
  local name="$1" subject="$2" usage="$3" san="${4:-}"
  [ -f "${PKI}/${name}.crt" ] && return
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${PKI}/${name}.key" 2>/dev/null
  openssl req -new -key "${PKI}/${name}.key" -subj "$subject" -out "${PKI}/${name}.csr" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=${usage}"
    [ -z "$san" ] || echo "subjectAltName=${san}"
  } > "${PKI}/${name}.ext"
  local ca=ca
  [ "$name" != front-proxy-client ] || ca=front-proxy-ca
  openssl x509 -req -in "${PKI}/${name}.csr" -CA "${PKI}/${ca}.crt" -CAkey "${PKI}/${ca}.key" -CAcreateserial \
    -days 825 -extfile "${PKI}/${name}.ext" -out "${PKI}/${name}.crt" 2>/dev/null
  rm -f "${PKI}/${name}.csr" "${PKI}/${name}.ext"
}

authority() { # <name> <common name>
  [ -f "${PKI}/$1.crt" ] && return
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${PKI}/$1.key" 2>/dev/null
  openssl req -x509 -new -key "${PKI}/$1.key" -subj "/CN=$2" -days 3650 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "${PKI}/$1.crt" 2>/dev/null
}

kubeconfig() { # <file> <certificate name>
  cat > "$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: ${CLUSTER_NAME}
  cluster:
    server: https://${NODE_IP}:${API_PORT}
    certificate-authority-data: $(base64 -w0 < "${PKI}/ca.crt")
users:
- name: $2
  user:
    client-certificate-data: $(base64 -w0 < "${PKI}/$2.crt")
    client-key-data: $(base64 -w0 < "${PKI}/$2.key")
contexts:
- name: ${CLUSTER_NAME}
  context: {cluster: ${CLUSTER_NAME}, user: $2}
current-context: ${CLUSTER_NAME}
YAML
  chmod 0600 "$1"
}

pki() {
  # RSA keys: the tests' Java clients (fabric8) read RSA client keys with no extra library.
  mkdir -p "$PKI"; chmod 0700 "$PKI"
  authority ca "${CLUSTER_NAME}-ca"
  authority front-proxy-ca "${CLUSTER_NAME}-front-proxy-ca"
  certificate apiserver "/CN=kube-apiserver" serverAuth \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.${CLUSTER_DOMAIN},DNS:localhost,IP:${NODE_IP},IP:${API_SERVICE_IP},IP:127.0.0.1"
  certificate apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
  certificate front-proxy-client "/CN=front-proxy-client" clientAuth
  certificate admin "/O=system:masters/CN=${CLUSTER_NAME}-admin" clientAuth
  certificate controller-manager "/CN=system:kube-controller-manager" clientAuth
  certificate scheduler "/CN=system:kube-scheduler" clientAuth
  certificate kube-proxy "/CN=system:kube-proxy" clientAuth
  certificate kubelet-client "/O=system:nodes/CN=system:node:${NODE_NAME}" clientAuth
  certificate kubelet "/CN=${NODE_NAME}" serverAuth "DNS:${NODE_NAME},IP:${NODE_IP}"
  certificate metrics-server "/CN=metrics-server" serverAuth \
    "DNS:metrics-server.kube-system.svc,DNS:metrics-server.kube-system.svc.${CLUSTER_DOMAIN}"
  [ -f "${PKI}/sa.key" ] || {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "${PKI}/sa.key" 2>/dev/null
    openssl pkey -in "${PKI}/sa.key" -pubout -out "${PKI}/sa.pub" 2>/dev/null
  }
  kubeconfig "${STATE}/admin.kubeconfig" admin
  kubeconfig "${STATE}/controller-manager.kubeconfig" controller-manager
  kubeconfig "${STATE}/scheduler.kubeconfig" scheduler
  kubeconfig "${STATE}/kube-proxy.kubeconfig" kube-proxy
  kubeconfig "${STATE}/kubelet.kubeconfig" kubelet-client
}

# ---- network ---------------------------------------------------------------------------------------------------

record_sysctls() {
  [ -f "${CACHE_ROOT}/cluster/${CLUSTER_NAME}.sysctl" ] && return
  mkdir -p "${CACHE_ROOT}/cluster"
  local key
  for key in "${SYSCTLS[@]}"; do
    local file="/proc/sys/${key//.//}"
    [ -f "$file" ] && echo "${key}=$(cat "$file")"
  done > "${CACHE_ROOT}/cluster/${CLUSTER_NAME}.sysctl"
}

# The nft tables that exist before the cluster: the kubelet adds iptables(-nft) chains of its own, and `down` removes
# every table that was not there before.
record_nft_tables() {
  local saved="${CACHE_ROOT}/cluster/${CLUSTER_NAME}.nft-tables"
  [ -f "$saved" ] || nft list tables > "$saved"
}

remove_kubelet_chains() {
  local ipt table chain
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for table in filter nat mangle; do
      for chain in INPUT OUTPUT; do
        while "$ipt" -w -t "$table" -D "$chain" -j KUBE-FIREWALL 2>/dev/null; do :; done
      done
      for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        "$ipt" -w -t "$table" -F "$chain" 2>/dev/null || true
        "$ipt" -w -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
  local saved="${CACHE_ROOT}/cluster/${CLUSTER_NAME}.nft-tables" family name
  if [ -f "$saved" ]; then
    nft list tables | grep -vxFf "$saved" | while read -r _ family name; do nft delete table "$family" "$name" 2>/dev/null || true; done
    rm -f "$saved"
  fi
}

restore_sysctls() {
  local saved="${CACHE_ROOT}/cluster/${CLUSTER_NAME}.sysctl" line
  [ -f "$saved" ] || return 0
  while IFS= read -r line; do
    local key="${line%%=*}" value="${line#*=}"
    [ "$(cat "/proc/sys/${key//.//}" 2>/dev/null)" = "$value" ] || echo "$value" > "/proc/sys/${key//.//}" 2>/dev/null || true
  done < "$saved"
  rm -f "$saved"
}


network_up() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  ip addr replace "${NODE_IP}/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Traffic from this machine to a Service address goes to the bridge, never to the default route.
  ip route replace "$SERVICE_CIDR" dev "$BRIDGE" src "$NODE_IP"
  # The guard: nothing from the node's, pods' or Services' addresses leaves through any other interface.
  nft delete table inet "$GUARD_TABLE" 2>/dev/null || true
  nft -f - <<NFT
table inet ${GUARD_TABLE} {
  counter leaving {}
  chain forward {
    type filter hook forward priority -10; policy accept;
    ip saddr ${CLUSTER_RANGES} oifname != { "${BRIDGE}", "lo" } counter name leaving drop
  }
  chain postrouting {
    type filter hook postrouting priority 300; policy accept;
    ip saddr ${CLUSTER_RANGES} oifname != { "${BRIDGE}", "lo" } counter name leaving drop
  }
}
NFT
  mkdir -p "${STATE}/cni/net.d" "${STATE}/cni/ipam"
  cat > "${STATE}/cni/net.d/10-teachtrack.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "${CLUSTER_NAME}",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "${BRIDGE}",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "${STATE}/cni/ipam",
        "ranges": [[{"subnet": "${POD_SUBNET}", "rangeStart": "10.213.0.10", "rangeEnd": "10.213.0.250", "gateway": "${NODE_IP}"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
JSON
}

guard_count() { nft -j list counter inet "$GUARD_TABLE" leaving 2>/dev/null | jq '[.nftables[] | .counter? | select(.) | .packets] | add // 0'; }

# ---- control plane ---------------------------------------------------------------------------------------------

control_plane_up() {
  log "starting etcd and kube-apiserver on ${NODE_IP}:${API_PORT}"
  # A throwaway cluster: etcd skips fsync, which keeps the API fast on a loaded machine.
  start etcd "${BIN}/etcd" --name "${CLUSTER_NAME}" --data-dir "${STATE}/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:${ETCD_PORT}" --advertise-client-urls "http://127.0.0.1:${ETCD_PORT}" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "${CLUSTER_NAME}=http://127.0.0.1:$((ETCD_PORT + 1))"
  start kube-apiserver "${BIN}/kube-apiserver" \
    --advertise-address="${NODE_IP}" --bind-address="${NODE_IP}" --secure-port="${API_PORT}" \
    --etcd-servers="http://127.0.0.1:${ETCD_PORT}" \
    --service-cluster-ip-range="${SERVICE_CIDR}" \
    --client-ca-file="${PKI}/ca.crt" --tls-cert-file="${PKI}/apiserver.crt" --tls-private-key-file="${PKI}/apiserver.key" \
    --kubelet-client-certificate="${PKI}/apiserver-kubelet-client.crt" --kubelet-client-key="${PKI}/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="${PKI}/ca.crt" --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer="https://kubernetes.default.svc.${CLUSTER_DOMAIN}" \
    --service-account-key-file="${PKI}/sa.pub" --service-account-signing-key-file="${PKI}/sa.key" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --requestheader-client-ca-file="${PKI}/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="${PKI}/front-proxy-client.crt" --proxy-client-key-file="${PKI}/front-proxy-client.key" \
    --enable-aggregator-routing=true \
    --audit-policy-file="${SCRIPT_DIR}/cluster/audit-policy.yaml" --audit-log-path="${LOGS}/audit.log" --audit-log-maxsize=200 \
    --profiling=false
  wait_for "kube-apiserver" 120 kubectl_ --request-timeout=5s get --raw /readyz
  # Autoscalers look every 5 s (15 s by default) and scale back in after 10 s of low load (5 min by default), so a
  # test sees both directions within a minute.
  log "starting kube-controller-manager and kube-scheduler"
  start kube-controller-manager "${BIN}/kube-controller-manager" \
    --kubeconfig="${STATE}/controller-manager.kubeconfig" \
    --authentication-kubeconfig="${STATE}/controller-manager.kubeconfig" \
    --authorization-kubeconfig="${STATE}/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=10357 --leader-elect=false --profiling=false \
    --service-account-private-key-file="${PKI}/sa.key" --root-ca-file="${PKI}/ca.crt" \
    --cluster-signing-cert-file="${PKI}/ca.crt" --cluster-signing-key-file="${PKI}/ca.key" \
    --use-service-account-credentials=true --service-cluster-ip-range="${SERVICE_CIDR}" --allocate-node-cidrs=false \
    --horizontal-pod-autoscaler-sync-period=5s --horizontal-pod-autoscaler-downscale-stabilization=10s
  start kube-scheduler "${BIN}/kube-scheduler" \
    --kubeconfig="${STATE}/scheduler.kubeconfig" \
    --authentication-kubeconfig="${STATE}/scheduler.kubeconfig" \
    --authorization-kubeconfig="${STATE}/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=10359 --leader-elect=false --profiling=false
}

# ---- node ------------------------------------------------------------------------------------------------------

containerd_up() {
  mkdir -p "${STATE}/containerd" "$CONTAINERD_ROOT"
  cat > "${STATE}/containerd/config.toml" <<TOML
version = 2
root = "${CONTAINERD_ROOT}"
state = "${CONTAINERD_STATE}"
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "${CONTAINERD_SOCKET}"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${IMAGE_PREFIX}/pause:3.10"
  # Root here lacks CAP_SYS_RESOURCE: without this every sandbox fails to start.
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${STATE}/cni/net.d"
TOML
  log "starting containerd"
  start containerd containerd --config "${STATE}/containerd/config.toml"
  wait_for "containerd" 60 ctr_ version
}

# Imports every built image whose archive differs from what the node holds (by manifest digest).
import_images() {
  local dir="${CACHE_ROOT}/images" archive imported=0
  for archive in "$dir"/*.oci.tar; do
    [ -f "$archive" ] || continue
    local index ref digest have
    index="$(tar -xOf "$archive" index.json)"
    ref="$(jq -r '.manifests[0].annotations["io.containerd.image.name"] // .manifests[0].annotations["org.opencontainers.image.ref.name"]' <<<"$index")"
    digest="$(jq -r '.manifests[0].digest' <<<"$index")"
    have="$(ctr_ images ls "name==${ref}" 2>/dev/null | awk 'NR==2{print $3}')"
    [ "$have" = "$digest" ] && continue
    log "importing ${ref} into the node"
    ctr_ images import --no-unpack=false "$archive" >/dev/null
    imported=$((imported + 1))
  done
  log "node images up to date (${imported} imported)"
}

node_up() {
  mkdir -p "${STATE}/kubelet"
  : > "${STATE}/resolv.conf"
  cat > "${STATE}/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${NODE_IP}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: ${PKI}/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: ${PKI}/kubelet.crt
tlsPrivateKeyFile: ${PKI}/kubelet.key
containerRuntimeEndpoint: unix://${CONTAINERD_SOCKET}
cgroupDriver: cgroupfs
failSwapOn: false
# Kubernetes 1.34 still runs on cgroup v1 (this machine's), with a warning.
failCgroupV1: false
# Pods never inherit this machine's resolver: cluster names only.
resolvConf: ${STATE}/resolv.conf
clusterDNS: [${DNS_IP}]
clusterDomain: ${CLUSTER_DOMAIN}
# A small disk or a busy page cache must not evict the tests' pods.
evictionHard: {memory.available: 64Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
# Never collect images: pods never pull, so an image collected on a full disk (the pause image included) would be
# gone for good and no pod could start. 100 turns image garbage collection off.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
maxPods: 80
nodeStatusUpdateFrequency: 5s
YAML
  log "starting kubelet (node ${NODE_NAME}, ${NODE_IP})"
  start kubelet "${BIN}/kubelet" --config="${STATE}/kubelet.yaml" --kubeconfig="${STATE}/kubelet.kubeconfig" \
    --root-dir="${STATE}/kubelet" --node-ip="${NODE_IP}" --hostname-override="${NODE_NAME}" --v=1
  cat > "${STATE}/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection: {kubeconfig: ${STATE}/kube-proxy.kubeconfig}
hostnameOverride: ${NODE_NAME}
bindAddress: ${NODE_IP}
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
clusterCIDR: ${POD_SUBNET}
nodePortAddresses: [${NODE_IP}/32]
# Leave the machine's conntrack settings alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s, udpTimeout: 0s, udpStreamTimeout: 0s}
YAML
  log "starting kube-proxy (nftables)"
  start kube-proxy "${BIN}/kube-proxy" --config="${STATE}/kube-proxy.yaml"
  wait_for "node ${NODE_NAME}" 180 node_ready
}

node_ready() { kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True; }

# ---- add-ons ---------------------------------------------------------------------------------------------------

# Applies the add-ons (again: a running cluster gets their current version) and runs the volume provisioner.
addons_apply() {
  kubectl_ -n kube-system create secret generic metrics-server-tls --dry-run=client -o yaml \
    --from-file=tls.crt="${PKI}/metrics-server.crt" --from-file=tls.key="${PKI}/metrics-server.key" \
    --from-file=ca.crt="${PKI}/ca.crt" | kubectl_ apply -f - >/dev/null
  sed -e "s|@CLUSTER_DOMAIN@|${CLUSTER_DOMAIN}|g" -e "s|@DNS_IP@|${DNS_IP}|g" \
    -e "s|@COREDNS_IMAGE@|${IMAGE_PREFIX}/coredns:1.12.1|g" \
    -e "s|@METRICS_SERVER_IMAGE@|${IMAGE_PREFIX}/metrics-server:0.8.0|g" \
    -e "s|@CA_BUNDLE@|$(base64 -w0 < "${PKI}/ca.crt")|g" "${SCRIPT_DIR}/cluster/addons.yaml" \
    | kubectl_ apply --server-side --field-manager=teachtrack-cluster -f - >/dev/null
  running provisioner || start provisioner "$0" provision
}

addons_up() {
  log "applying the add-ons: StorageClass local-dir, CoreDNS, metrics-server"
  addons_apply
  log "waiting for CoreDNS and metrics-server"
  wait_for "CoreDNS" 180 kubectl_ -n kube-system rollout status deployment/coredns --timeout=5s
  wait_for "metrics-server" 180 kubectl_ -n kube-system rollout status deployment/metrics-server --timeout=5s
  wait_for "the metrics API" 180 kubectl_ get --raw /apis/metrics.k8s.io/v1beta1/nodes
}

# The volume provisioner `teachtrack.io/local-dir` (StorageClass local-dir, or any class naming it): a `local`
# PersistentVolume on a directory under the cache for every claim the PV controller hands to it (so fsGroup applies),
# deleted with its directory once released. The node is the only one, so Immediate binding works as well.
provision() {
  BIN="$("${SCRIPT_DIR}/k8s-binaries.sh" 2>/dev/null | tail -n 1)"
  mkdir -p "$VOLUMES"
  while true; do
    kubectl_ get pvc -A -o json 2>/dev/null | jq -c '.items[]
        | select(.status.phase == "Pending" and .spec.volumeName == null
                 and .metadata.annotations["volume.kubernetes.io/storage-provisioner"] == "teachtrack.io/local-dir")' \
        | while read -r claim; do
      local uid ns name size modes class path
      uid="$(jq -r .metadata.uid <<<"$claim")"; ns="$(jq -r .metadata.namespace <<<"$claim")"
      name="$(jq -r .metadata.name <<<"$claim")"; size="$(jq -r .spec.resources.requests.storage <<<"$claim")"
      modes="$(jq -c .spec.accessModes <<<"$claim")"; class="$(jq -r .spec.storageClassName <<<"$claim")"
      path="${VOLUMES}/${ns}-${name}-${uid:0:8}"
      mkdir -p "$path"; chmod 0770 "$path"
      jq -n --arg name "pvc-${uid}" --arg path "$path" --arg size "$size" --argjson modes "$modes" --arg class "$class" \
          --arg ns "$ns" --arg claim "$name" --arg uid "$uid" --arg node "$NODE_NAME" '{
        apiVersion: "v1", kind: "PersistentVolume",
        metadata: {name: $name, annotations: {"pv.kubernetes.io/provisioned-by": "teachtrack.io/local-dir"}},
        spec: {capacity: {storage: $size}, accessModes: $modes, persistentVolumeReclaimPolicy: "Delete",
               storageClassName: $class, volumeMode: "Filesystem", local: {path: $path},
               claimRef: {namespace: $ns, name: $claim, uid: $uid},
               nodeAffinity: {required: {nodeSelectorTerms: [{matchExpressions: [
                 {key: "kubernetes.io/hostname", operator: "In", values: [$node]}]}]}}}}' \
        | kubectl_ create -f - >/dev/null 2>&1 && echo "[provisioner] ${ns}/${name}: ${path}"
    done
    kubectl_ get pv -o json 2>/dev/null | jq -r '.items[]
        | select(.metadata.annotations["pv.kubernetes.io/provisioned-by"] == "teachtrack.io/local-dir"
                 and (.status.phase == "Released" or .status.phase == "Failed"))
        | .metadata.name + " " + .spec.local.path' | while read -r pv path; do
      case "$path" in "${VOLUMES}"/*) rm -rf "$path" ;; esac
      kubectl_ delete pv "$pv" --wait=false >/dev/null 2>&1 && echo "[provisioner] deleted ${pv}"
    done
    sleep 2
  done
}

# ---- up / down -------------------------------------------------------------------------------------------------

answers() {
  [ -f "${STATE}/admin.kubeconfig" ] && running kube-apiserver && running kubelet && running containerd \
    && kubectl_ --request-timeout=5s get --raw /readyz >/dev/null 2>&1 && node_ready
}

write_kubeconfig() {
  mkdir -p "$(dirname "$KUBECONFIG_OUT")"
  cp "${STATE}/admin.kubeconfig" "$KUBECONFIG_OUT"
  chmod 0600 "$KUBECONFIG_OUT"
}

up() {
  [ "$(id -u)" = 0 ] || die "the node needs root (containers, cgroups, network)"
  binaries
  if answers; then
    log "cluster '${CLUSTER_NAME}' already running"
    addons_apply
    import_images
    write_kubeconfig; echo "$KUBECONFIG_OUT"; return
  fi
  local t0=$SECONDS
  "${SCRIPT_DIR}/images.sh" node
  [ ! -d "$STATE" ] || { log "cleaning up what an earlier cluster left"; down_quietly; }
  log "creating cluster '${CLUSTER_NAME}': bridge ${BRIDGE} ${NODE_IP}/24, Services ${SERVICE_CIDR}"
  mkdir -p "$STATE" "$LOGS" "$PIDS"
  record_sysctls
  record_nft_tables
  network_up
  pki
  control_plane_up
  containerd_up
  import_images
  node_up
  addons_up
  write_kubeconfig
  log "cluster ready in $((SECONDS - t0))s; kubeconfig: ${KUBECONFIG_OUT}"
  echo "$KUBECONFIG_OUT"
}

# Kills whatever still runs in the pods' cgroups (containers, shims' children).
kill_pod_processes() {
  local procs
  for procs in /sys/fs/cgroup/*/kubepods/cgroup.procs /sys/fs/cgroup/*/kubepods/*/cgroup.procs \
               /sys/fs/cgroup/*/kubepods/*/*/cgroup.procs /sys/fs/cgroup/*/kubepods/*/*/*/cgroup.procs; do
    [ -f "$procs" ] && xargs -r kill -KILL < "$procs" 2>/dev/null || true
  done
}

remove_pod_cgroups() {
  local controller
  for controller in /sys/fs/cgroup/*/; do
    [ -d "${controller}kubepods" ] || continue
    find "${controller}kubepods" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

shims() { pgrep -f "containerd-shim-runc-v2 .*-address ${CONTAINERD_SOCKET}" || true; }

# The components' and pods' logs outlive the cluster (until the next `down`): a CI run deletes its clone and brings
# the cluster down, and these are what explain a failure afterwards.
keep_logs() {
  local kept="${CACHE_ROOT}/cluster/last-logs-${CLUSTER_NAME}"
  rm -rf "$kept"
  mkdir -p "$kept"
  [ ! -d "$LOGS" ] || mv "$LOGS" "${kept}/components"
  [ ! -d /var/log/pods ] || cp -r /var/log/pods "${kept}/pods" 2>/dev/null || true
}

down_quietly() {
  BIN="${BIN:-$("${SCRIPT_DIR}/k8s-binaries.sh" 2>/dev/null | tail -n 1)}"
  # Pods first, while the kubelet runs, so that the network plugin removes their interfaces.
  if running kube-apiserver && running kubelet; then
    stop kube-controller-manager 10
    stop provisioner 5
    kubectl_ --request-timeout=10s delete pods --all -A --grace-period=1 --wait=false >/dev/null 2>&1 || true
    # A pod leaves the API once the kubelet has stopped its containers and torn down its network.
    local deadline=$((SECONDS + 45))
    while [ $SECONDS -lt $deadline ] && [ -n "$(kubectl_ --request-timeout=5s get pods -A --no-headers 2>/dev/null)" ]; do sleep 1; done
  fi
  local name
  for name in provisioner kube-proxy kubelet kube-scheduler kube-controller-manager; do stop "$name" 10; done
  kill_pod_processes
  local shim
  for shim in $(shims); do kill -KILL "$shim" 2>/dev/null || true; done
  stop containerd 15
  stop kube-apiserver 60
  stop etcd 15
  # Mounts under the kubelet's and containerd's directories, deepest first.
  local mounts
  mounts="$(awk -v a="${STATE}" -v b="${CONTAINERD_STATE}" -v c="${CONTAINERD_ROOT}" -v d="/run/netns" \
    'index($2, a) == 1 || index($2, b) == 1 || index($2, c) == 1 || index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r)"
  [ -z "$mounts" ] || xargs -r -n1 umount -l <<<"$mounts" 2>/dev/null || true
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^cni-/ {print $1}'); do ip netns delete "$ns" 2>/dev/null || true; done
  remove_pod_cgroups
  ip link delete "$BRIDGE" 2>/dev/null || true
  nft delete table inet "$GUARD_TABLE" 2>/dev/null || true
  # kube-proxy's own table (nftables mode).
  nft delete table ip kube-proxy 2>/dev/null || true
  nft delete table ip6 kube-proxy 2>/dev/null || true
  remove_kubelet_chains
  restore_sysctls
  keep_logs
  rm -rf "${FIXED_PATHS[@]}" "$STATE" 2>/dev/null || { sleep 1; rm -rf "${FIXED_PATHS[@]}" "$STATE"; }
}

down() {
  [ "$(id -u)" = 0 ] || die "needs root"
  if [ -d "$STATE" ] || ip link show "$BRIDGE" >/dev/null 2>&1; then
    log "stopping cluster '${CLUSTER_NAME}'"
    down_quietly
    log "cluster '${CLUSTER_NAME}' removed"
  else
    log "no cluster '${CLUSTER_NAME}'"
  fi
  rm -f "$KUBECONFIG_OUT"
}

# What `down` must leave behind: nothing. Prints one line per leftover.
leftovers() {
  local name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    pgrep -f "${CACHE_ROOT}/k8s-[^/]*/bin/${name}( |$)" >/dev/null && echo "process ${name}"
  done
  pgrep -f "containerd --config ${STATE}/" >/dev/null && echo "process containerd"
  pgrep -f "cluster.sh provision" >/dev/null && echo "process provisioner"
  [ -z "$(shims)" ] || echo "process containerd-shim"
  awk -v a="${STATE}" -v b="${CONTAINERD_STATE}" -v c="${CONTAINERD_ROOT}" -v d="/run/netns" \
    'index($2, a) == 1 || index($2, b) == 1 || index($2, c) == 1 || index($2, d) == 1 {print "mount " $2}' /proc/self/mounts
  ip netns list 2>/dev/null | awk '$1 ~ /^cni-/ {print "netns " $1}'
  ip link show "$BRIDGE" >/dev/null 2>&1 && echo "bridge ${BRIDGE}"
  ip -o link show type veth 2>/dev/null | awk -F': ' '{print "veth " $2}'
  nft list tables 2>/dev/null | awk -v g="$GUARD_TABLE" '$3 == g || $3 == "kube-proxy" {print "nft table " $2 " " $3}'
  nft list ruleset 2>/dev/null | awk '$1 == "chain" && $2 ~ /^KUBE-/ {print "nft chain " $2}' | sort -u
  for name in /sys/fs/cgroup/*/kubepods; do [ -d "$name" ] && echo "cgroup ${name}"; done
  local saved="${CACHE_ROOT}/cluster/${CLUSTER_NAME}.sysctl"
  [ ! -f "$saved" ] || echo "sysctl record ${saved} (not restored)"
  return 0
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  status) BIN="$("${SCRIPT_DIR}/k8s-binaries.sh" 2>/dev/null | tail -n 1)"; answers ;;
  import) BIN="$("${SCRIPT_DIR}/k8s-binaries.sh" 2>/dev/null | tail -n 1)"; import_images ;;
  tag) ctr_ images tag --force "${2:?usage: cluster.sh tag SOURCE TARGET}" "${3:?usage: cluster.sh tag SOURCE TARGET}" >/dev/null ;;
  guard) guard_count ;;
  leftovers) leftovers ;;
  provision) provision ;;
  *) echo "usage: $0 up|down|status|import|tag|guard|leftovers" >&2; exit 2 ;;
esac
