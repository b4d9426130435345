# Pinned versions of the local control plane. Sourced by build.sh and up.sh.
# Kubernetes 1.35 is an EKS-supported minor (standard support into 2027) and builds with Go >= 1.25.
K8S_VERSION=1.35.4
KWOK_VERSION=0.8.0
# The cache key: changing any pin (or the build recipe revision) builds into a new directory.
RECIPE_REV=1
SWITCHYARD_CACHE=${SWITCHYARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/switchyard}
CLUSTER_BIN_DIR=${CLUSTER_BIN_DIR:-$SWITCHYARD_CACHE/k8s-v$K8S_VERSION-kwok-v$KWOK_VERSION-r$RECIPE_REV/bin}
