#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, etcd and kwok from Go modules
# (no prebuilt binaries can be downloaded here) into a version-keyed cache directory.
# A warm machine skips the build: the binaries and a stamp file are checked first.
set -euo pipefail
# The body is one compound command: bash parses it whole before running it, so editing this file
# while a long run is in progress cannot change what that run executes.
{
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"

bins=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)
stamp="$CLUSTER_BIN_DIR/.complete"
cached() {
  [ -f "$stamp" ] && [ -d "$CLUSTER_BIN_DIR/kwok-stages/stage/fast" ] || return 1
  local b; for b in "${bins[@]}"; do [ -x "$CLUSTER_BIN_DIR/$b" ] || return 1; done
}
report_cached() { echo "cluster:build: binaries cached in $CLUSTER_BIN_DIR (Kubernetes v$K8S_VERSION, kwok v$KWOK_VERSION)"; }
if cached; then report_cached; exit 0; fi

command -v go >/dev/null || { echo "cluster:build: Go is required (go >= 1.26) to build the control plane" >&2; exit 1; }
mkdir -p "$CLUSTER_BIN_DIR"
# One build at a time per cache directory (npm test, the test setup and the sandbox may all ask at once):
# the others wait here and then find the binaries.
exec 9>"$CLUSTER_BIN_DIR/../.build.lock"
if ! flock -n 9; then
  echo "cluster:build: another build into $CLUSTER_BIN_DIR is running; waiting for it"
  flock 9
fi
if cached; then report_cached; exit 0; fi
work=$(dirname "$CLUSTER_BIN_DIR")/src
mkdir -p "$work"
cd "$work"
export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0 GOFLAGS=-trimpath
minor=${K8S_VERSION#1.}; minor=${minor%%.*}
staging=(api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider cluster-bootstrap
  code-generator component-base component-helpers controller-manager cri-api cri-client csi-translation-lib
  dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy
  kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission sample-apiserver sample-cli-plugin
  sample-controller)
{
  echo "module local/switchyard-k8s-bins"; echo; echo "go 1.25.0"; echo; echo "godebug default=go1.25"; echo
  # k8s.io/kubernetes requires its staging modules at v0.0.0 with local replaces, which a dependent module
  # ignores; these lines point them at the published versions of the same release.
  echo "replace ("
  for m in "${staging[@]}"; do echo "	k8s.io/$m => k8s.io/$m v0.$minor.${K8S_VERSION##*.}"; done
  echo ")"
} > go.mod
t0=$(date +%s)
step() { echo "cluster:build: [$(( $(date +%s) - t0 ))s] $*"; }
step "resolving modules for Kubernetes v$K8S_VERSION (first run downloads ~1 GB of modules)"
go get -tool k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION \
  k8s.io/kubernetes/cmd/kube-controller-manager@v$K8S_VERSION \
  k8s.io/kubernetes/cmd/kube-scheduler@v$K8S_VERSION
etcd=$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
step "etcd version pinned by k8s.io/apiserver: $etcd"
go get -tool go.etcd.io/etcd/server/v3@$etcd
ld="-s -w"; d=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld="$ld -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$d"
done
for b in kube-apiserver kube-controller-manager kube-scheduler; do
  step "building $b (several minutes on 2 cores)"
  go build -ldflags "$ld" -o "$CLUSTER_BIN_DIR/$b" k8s.io/kubernetes/cmd/$b
done
step "building etcd $etcd"
go build -ldflags "-s -w" -o "$CLUSTER_BIN_DIR/etcd" go.etcd.io/etcd/server/v3
step "building kwok v$KWOK_VERSION"
GOBIN="$CLUSTER_BIN_DIR" go install -ldflags "-s -w" sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION
# kwok ships its stage definitions in the module zip; keep a copy beside the binaries.
kwokdir=$(go mod download -json sigs.k8s.io/kwok@v$KWOK_VERSION | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
rm -rf "$CLUSTER_BIN_DIR/kwok-stages"; mkdir -p "$CLUSTER_BIN_DIR/kwok-stages"
cp -r "$kwokdir/kustomize/stage" "$CLUSTER_BIN_DIR/kwok-stages/"
chmod -R u+w "$CLUSTER_BIN_DIR/kwok-stages"
echo "$etcd" > "$CLUSTER_BIN_DIR/etcd.version"
touch "$stamp"
step "done: $(du -sh "$CLUSTER_BIN_DIR" | cut -f1) in $CLUSTER_BIN_DIR"
exit
}
