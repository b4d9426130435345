#!/usr/bin/env bash
# Starts a local Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok (fake nodes whose pods become Ready), with a fake node, and writes a kubeconfig.
#
#   SWITCHYARD_CLUSTER_DIR   state directory (default /dev/shm/switchyard-cluster, else $TMPDIR)
#   SWITCHYARD_{ETCD,ETCD_PEER,APISERVER,KCM,SCHEDULER,KWOK}_PORT   fixed ports (default: free ports)
#   SWITCHYARD_CLUSTER_NODES number of fake nodes (default 1)
#
# A healthy cluster already running in the same directory is reused; a partly dead one is reported
# (with its log tails) and refused until cluster:down.
set -euo pipefail
# The body is one compound command: bash parses it whole before running it, so editing this file
# while a long run is in progress cannot change what that run executes.
{
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"
. "$here/lib.sh"

bash "$here/build.sh"
for b in "${COMPONENTS[@]}"; do [ -x "$CLUSTER_BIN_DIR/$b" ] || die "missing $CLUSTER_BIN_DIR/$b (run npm run cluster:build)"; done
for tool in openssl curl jq ss; do command -v $tool >/dev/null || die "$tool is required"; done

D=$CLUSTER_DIR
P=$D/pki
KUBECONFIG_PATH=$D/kubeconfig

# ---- already running? -------------------------------------------------------------------------
if [ -f "$D/state.env" ]; then
  . "$D/state.env"
  alive=(); dead=()
  for c in "${COMPONENTS[@]}"; do
    if is_ours "$(pid_of "$c")"; then alive+=("$c"); else dead+=("$c"); fi
  done
  if [ ${#dead[@]} -eq 0 ] &&
    curl -fsS --max-time 5 --cacert "$P/ca.crt" --cert "$P/admin.crt" --key "$P/admin.key" \
      "https://127.0.0.1:$APISERVER_PORT/readyz" >/dev/null 2>&1; then
    log "reusing the healthy cluster already running in $D (API server https://127.0.0.1:$APISERVER_PORT)"
    log "kubeconfig: $KUBECONFIG_PATH"
    echo "export KUBECONFIG=$KUBECONFIG_PATH"
    exit 0
  fi
  if [ ${#alive[@]} -gt 0 ]; then
    for c in "${dead[@]}"; do echo "cluster: $c is not running" >&2; log_tail "$c"; done
    [ ${#dead[@]} -gt 0 ] || echo "cluster: all components run but the API server is not ready" >&2
    die "a cluster in $D is partly running (alive: ${alive[*]}; dead: ${dead[*]:-none}); run npm run cluster:down first"
  fi
  log "removing the state of a cluster that is no longer running in $D"
fi
# Leftovers of an up.sh that died before recording pids.
leftover=$(pids_referencing_dir)
[ -z "$leftover" ] || die "processes of an earlier cluster in $D are still running (pids: $(echo $leftover)); run npm run cluster:down"
rm -rf "$D"
mkdir -p "$D/pids" "$D/logs" "$P"
chmod 700 "$D"

# ---- ports --------------------------------------------------------------------------------------
taken=" "
pick_port() { # env-var-name
  local name=$1 fixed=${!1:-} p
  if [ -n "$fixed" ]; then
    port_in_use "$fixed" && die "port $fixed ($name) is already in use"
    taken="$taken$fixed "; echo "$fixed"; return
  fi
  # Below the kernel's ephemeral range, so that no outgoing connection can take the port between our
  # check and the component's bind.
  local low high
  read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  [ "$low" -gt 12000 ] || low=32768
  for _ in $(seq 1 200); do
    p=$(( 10000 + RANDOM % (low - 10000) ))
    case "$taken" in *" $p "*) continue ;; esac
    port_in_use "$p" || { taken="$taken$p "; echo "$p"; return; }
  done
  die "no free port found for $name"
}
ETCD_PORT=$(pick_port SWITCHYARD_ETCD_PORT); taken="$taken$ETCD_PORT "
ETCD_PEER_PORT=$(pick_port SWITCHYARD_ETCD_PEER_PORT); taken="$taken$ETCD_PEER_PORT "
APISERVER_PORT=$(pick_port SWITCHYARD_APISERVER_PORT); taken="$taken$APISERVER_PORT "
KCM_PORT=$(pick_port SWITCHYARD_KCM_PORT); taken="$taken$KCM_PORT "
SCHEDULER_PORT=$(pick_port SWITCHYARD_SCHEDULER_PORT); taken="$taken$SCHEDULER_PORT "
KWOK_PORT=$(pick_port SWITCHYARD_KWOK_PORT); taken="$taken$KWOK_PORT "
NODES=${SWITCHYARD_CLUSTER_NODES:-1}
cat >"$D/state.env" <<EOF
ETCD_PORT=$ETCD_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
KCM_PORT=$KCM_PORT
SCHEDULER_PORT=$SCHEDULER_PORT
KWOK_PORT=$KWOK_PORT
CLUSTER_BIN_DIR=$CLUSTER_BIN_DIR
K8S_VERSION=$K8S_VERSION
EOF

t0=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - t0) / 1000000 ))ms"; }

# ---- PKI ----------------------------------------------------------------------------------------
# One CA signs the API server's serving certificate and the admin client certificate (system:masters);
# a separate RSA key signs service account tokens.
sign() { # name subject extfile-lines...
  local name=$1 subj=$2; shift 2
  openssl req -newkey rsa:2048 -nodes -subj "$subj" -keyout "$P/$name.key" -out "$P/$name.csr" 2>/dev/null
  printf '%s\n' "$@" >"$P/$name.ext"
  openssl x509 -req -in "$P/$name.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -days 3650 \
    -out "$P/$name.crt" -extfile "$P/$name.ext" 2>/dev/null
}
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=switchyard-local-ca" \
  -keyout "$P/ca.key" -out "$P/ca.crt" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
sign apiserver "/CN=kube-apiserver" \
  "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
  "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment" "basicConstraints=CA:FALSE"
sign admin "/O=system:masters/CN=switchyard-admin" \
  "extendedKeyUsage=clientAuth" "keyUsage=critical,digitalSignature,keyEncipherment" "basicConstraints=CA:FALSE"
openssl genrsa -out "$P/sa.key" 2048 2>/dev/null
openssl rsa -in "$P/sa.key" -pubout -out "$P/sa.pub" 2>/dev/null
b64() { base64 -w0 <"$1"; }
cat >"$KUBECONFIG_PATH" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: switchyard-local
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(b64 "$P/ca.crt")
users:
- name: switchyard-admin
  user:
    client-certificate-data: $(b64 "$P/admin.crt")
    client-key-data: $(b64 "$P/admin.key")
contexts:
- name: switchyard-local
  context: {cluster: switchyard-local, user: switchyard-admin}
current-context: switchyard-local
EOF
chmod 600 "$KUBECONFIG_PATH"
log "PKI and kubeconfig written ($(elapsed))"

# ---- processes ----------------------------------------------------------------------------------
started=()
cleanup_on_failure() {
  local rc=$?
  [ $rc -eq 0 ] && return
  echo "cluster: start failed; stopping what was started" >&2
  SWITCHYARD_CLUSTER_KEEP=1 bash "$here/down.sh" >&2 || true
  echo "cluster: logs kept in $D/logs" >&2
}
trap cleanup_on_failure EXIT
trap 'exit 130' INT TERM HUP

start() { # name args...
  local name=$1; shift
  # setsid: the components outlive the shell that started them (npm, a terminal's Ctrl-C); stdio goes to
  # files so a caller reading our output is not held open by them.
  setsid "$CLUSTER_BIN_DIR/$name" "$@" >"$D/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$D/pids/$name"
  started+=("$name")
}

# wait_for name timeout-seconds command...: polls the command, failing fast if the process died.
wait_for() {
  local name=$1 limit=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$(pid_of "$name")" 2>/dev/null; then
      echo "cluster: $name exited during startup" >&2; log_tail "$name" 40; exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "cluster: $name not ready after ${limit}s" >&2; log_tail "$name" 40; exit 1
    fi
    sleep 0.2
  done
}

api() { # method path [json-body]
  local args=(-fsS --max-time 10 --cacert "$P/ca.crt" --cert "$P/admin.crt" --key "$P/admin.key" -X "$1")
  [ $# -lt 3 ] || args+=(-H 'Content-Type: application/json' --data "$3")
  curl "${args[@]}" "https://127.0.0.1:$APISERVER_PORT$2"
}

start etcd --name=node0 --data-dir="$D/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="node0=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state=new \
  --unsafe-no-fsync=true --quota-backend-bytes=2147483648 --log-level=warn
etcd_healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }
wait_for etcd 30 etcd_healthy
# One write before the API server starts: its watch caches then begin above revision 1, so a watch from
# resourceVersion 1 is "too old" (HTTP 410 from the cache), a reproducible expiry for tests.
curl -fsS --max-time 5 -X POST "http://127.0.0.1:$ETCD_PORT/v3/kv/put" \
  -d "{\"key\":\"$(printf /switchyard/created | base64 -w0)\",\"value\":\"$(date -u +%FT%TZ | base64 -w0)\"}" >/dev/null
log "etcd ready on 127.0.0.1:$ETCD_PORT ($(elapsed))"

# --endpoint-reconciler-type=none: the loopback advertise address is not a valid endpoint for the
# kubernetes Service (kubernetes/kubernetes#138102 validates it at startup).
start kube-apiserver \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" --etcd-prefix=/registry \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
  --secure-port="$APISERVER_PORT" --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
  --client-ca-file="$P/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 \
  --authorization-mode=Node,RBAC --allow-privileged=true \
  --cert-dir="$D/apiserver-certs" --profiling=false \
  --watch-cache-sizes=podtemplates#0
# podtemplates#0: PodTemplate watches bypass the watch cache and go to etcd, where a compaction makes an
# old resourceVersion expire in-stream (ERROR event, 410): the other way a 410 reaches a client.
api_ready() { api GET /readyz | grep -qx ok; }
wait_for kube-apiserver 120 api_ready
log "kube-apiserver ready on https://127.0.0.1:$APISERVER_PORT ($(elapsed))"

start kube-controller-manager --kubeconfig="$KUBECONFIG_PATH" \
  --authentication-kubeconfig="$KUBECONFIG_PATH" --authorization-kubeconfig="$KUBECONFIG_PATH" \
  --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
  --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
  --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key" \
  --controllers='*' --node-monitor-period=2s --kube-api-qps=100 --kube-api-burst=200 --profiling=false
start kube-scheduler --kubeconfig="$KUBECONFIG_PATH" \
  --authentication-kubeconfig="$KUBECONFIG_PATH" --authorization-kubeconfig="$KUBECONFIG_PATH" \
  --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --leader-elect=false --profiling=false
# kwok ships no built-in stages: give it kwokctl's default "fast" set. Standalone kwok defaults the node
# lease duration to 0 (no leases), which the heartbeat-with-lease stage needs.
start kwok --kubeconfig="$KUBECONFIG_PATH" --config="$CLUSTER_BIN_DIR/kwok-stages/stage/fast" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-lease-duration-seconds=40 --node-ip=127.0.0.1 --cidr=10.0.0.0/24 \
  --server-address="127.0.0.1:$KWOK_PORT"
kcm_ok() { curl -fsSk --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz" | grep -qx ok; }
sched_ok() { curl -fsSk --max-time 2 "https://127.0.0.1:$SCHEDULER_PORT/readyz" | grep -qx ok; }
kwok_ok() { curl -fsS --max-time 2 "http://127.0.0.1:$KWOK_PORT/healthz" | grep -q ok; }
wait_for kube-controller-manager 60 kcm_ok
wait_for kube-scheduler 60 sched_ok
wait_for kwok 60 kwok_ok
log "controller manager, scheduler and kwok healthy ($(elapsed))"

# ---- fake nodes ---------------------------------------------------------------------------------
for i in $(seq 0 $(( NODES - 1 ))); do
  node="kwok-node-$i"
  api POST /api/v1/nodes "$(jq -nc --arg n "$node" '{
    apiVersion: "v1", kind: "Node",
    metadata: {name: $n,
      annotations: {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
      labels: {"kubernetes.io/arch": "amd64", "kubernetes.io/os": "linux", "kubernetes.io/hostname": $n, type: "kwok"}},
    status: {allocatable: {cpu: "32", memory: "256Gi", pods: "110"}, capacity: {cpu: "32", memory: "256Gi", pods: "110"},
      nodeInfo: {architecture: "amd64", operatingSystem: "linux"}}}')" >/dev/null
done
nodes_ready() {
  api GET /api/v1/nodes | jq -e --argjson n "$NODES" '
    [.items[] | select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))
              | select(all(.spec.taints[]?; .key != "node.kubernetes.io/not-ready"))] | length == $n' >/dev/null
}
wait_for kwok 60 nodes_ready
# Pods are only admitted in a namespace once its default ServiceAccount exists.
default_sa() { api GET /api/v1/namespaces/default/serviceaccounts/default >/dev/null; }
wait_for kube-controller-manager 60 default_sa
trap - EXIT INT TERM HUP

ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "$ready_ms" >"$D/ready-ms"
log "ready in ${ready_ms}ms: Kubernetes v$K8S_VERSION, $NODES kwok node(s), state in $D"
log "kubeconfig: $KUBECONFIG_PATH"
echo "export KUBECONFIG=$KUBECONFIG_PATH"
exit
}
