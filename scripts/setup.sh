#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12's packages. Idempotent: it only
# calls apt-get when a package is missing. Run as root (or through sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-graph-dev libtbb-dev nlohmann-json3-dev libcpp-httplib-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libsqlite3-dev
  clang-format  # scripts/check-format.sh (Debian 12: clang-format 14)
  clang-14 libclang-rt-14-dev  # libFuzzer targets (fuzz/); the rest builds with gcc
  libyaml-cpp-dev  # Containerlab topology import
  python3-yaml chromium  # service: OpenAPI YAML->JSON at build time; the HTML report test
  pybind11-dev python3-dev  # the swarm Python module (python/)
  python3-jsonschema python3-networkx  # tests: incidents vs the schema; NetworkX-written topologies
  libopenmpi-dev openmpi-bin  # swarm_mpi (mpi/, docs/mpi.md); without them it is not built
)

# Opt-in extras, never installed by default. --with-ns3 (or SWARM_WITH_NS3=1): ns-3.37 for the
# measured transport tables (tools/tables/ns3, docs/tables.md); package ns3 holds the helper
# binaries that Debian's ns3Config.cmake insists on.
if [[ " $* " == *" --with-ns3 "* || "${SWARM_WITH_NS3:-0}" == 1 ]]; then
  packages+=(libns3-dev libgsl-dev ns3)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
