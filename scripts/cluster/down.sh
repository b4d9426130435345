#!/usr/bin/env bash
# Stops the local control plane started by up.sh (same SWITCHYARD_CLUSTER_DIR): every component by its
# recorded pid, in reverse start order, then checks that no process of it is left and its ports are free,
# and removes the state directory (SWITCHYARD_CLUSTER_KEEP=1 keeps it, e.g. to read the logs).
set -euo pipefail
# The body is one compound command: bash parses it whole before running it, so editing this file
# while a long run is in progress cannot change what that run executes.
{
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"
. "$here/lib.sh"

D=$CLUSTER_DIR
if [ ! -d "$D" ]; then log "no cluster state in $D: nothing to stop"; exit 0; fi
[ -f "$D/state.env" ] && . "$D/state.env"

stop_pid() { # name pid
  local name=$1 pid=$2 i
  is_ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  # The API server drains open requests on SIGTERM; its state is thrown away anyway, so do not wait long.
  for i in $(seq 1 50); do is_ours "$pid" || { log "stopped $name (pid $pid)"; return 0; }; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do is_ours "$pid" || { log "killed $name (pid $pid) after 5s"; return 0; }; sleep 0.1; done
  echo "cluster: $name (pid $pid) did not exit" >&2
  return 1
}

failed=0
for (( i=${#COMPONENTS[@]}-1; i>=0; i-- )); do
  c=${COMPONENTS[$i]}
  stop_pid "$c" "$(pid_of "$c")" || failed=1
done
# Components started by an up.sh that died before it recorded their pid.
for pid in $(pids_referencing_dir); do stop_pid "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null || echo unknown)")" "$pid" || failed=1; done

busy=()
for v in ETCD_PORT ETCD_PEER_PORT APISERVER_PORT KCM_PORT SCHEDULER_PORT KWOK_PORT; do
  p=${!v:-}
  [ -z "$p" ] && continue
  for _ in $(seq 1 50); do port_listening "$p" || break; sleep 0.1; done
  ! port_listening "$p" || busy+=("$p")
done
[ ${#busy[@]} -eq 0 ] || { echo "cluster: ports still in use after stopping: ${busy[*]}" >&2; failed=1; }
[ $failed -eq 0 ] || die "the cluster in $D did not stop cleanly; state kept for inspection"

if [ "${SWITCHYARD_CLUSTER_KEEP:-0}" = 1 ]; then
  rm -rf "$D/pids" "$D/state.env"
  log "stopped; state kept in $D"
else
  rm -rf "$D"
  log "stopped; removed $D"
fi
exit
}
