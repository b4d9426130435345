# Shared by up.sh and down.sh: where a cluster's state lives and how to inspect its processes.
# shellcheck shell=bash

# State (PKI, etcd data, logs, pids, kubeconfig) lives on tmpfs when there is one: etcd then never
# waits on a disk, and nothing survives a reboot that could be mistaken for a running cluster.
default_cluster_dir() {
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then echo /dev/shm/switchyard-cluster; else echo "${TMPDIR:-/tmp}/switchyard-cluster"; fi
}
CLUSTER_DIR=${SWITCHYARD_CLUSTER_DIR:-$(default_cluster_dir)}
# Start order; down.sh stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { echo "cluster: $*"; }
die() { echo "cluster: error: $*" >&2; exit 1; }

pid_of() { cat "$CLUSTER_DIR/pids/$1" 2>/dev/null || true; }

# Alive and really ours: one of our binaries, with this cluster's state directory on its command line
# (a recycled pid would not match both).
is_ours() {
  local pid=$1 cmd
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  cmd=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  case "$cmd" in "$CLUSTER_BIN_DIR"/*) ;; *) return 1 ;; esac
  case "$cmd" in *"$CLUSTER_DIR/"*) return 0 ;; *) return 1 ;; esac
}

log_tail() {
  local f="$CLUSTER_DIR/logs/$1.log"
  echo "---- last lines of $f ----" >&2
  if [ -f "$f" ]; then tail -n "${2:-25}" "$f" >&2; else echo "(no log)" >&2; fi
  echo "----" >&2
}

# Processes whose command line names this cluster's state directory (covers an up.sh that died
# between starting a component and recording its pid).
pids_referencing_dir() {
  local d
  for d in /proc/[0-9]*; do
    if is_ours "${d#/proc/}"; then echo "${d#/proc/}"; fi
  done
}

# Any TCP socket on the port counts (a client connection's local port blocks a bind too), except
# TIME_WAIT ones, which the components' listeners (SO_REUSEADDR) bind over.
port_in_use() { [ -n "$(ss -Htan exclude time-wait "sport = :$1" 2>/dev/null)" ]; }
port_listening() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
