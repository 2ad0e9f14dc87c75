#!/usr/bin/env bash
# Builds, once per machine, the real programs the tests and the demo run, from their Go modules at
# pinned versions, into .tools/bin (ignored by git):
#   nats-server  the version HarmonyLite embeds (Debian's older nats-server only as a fallback)
#   harmonylite  the real HarmonyLite node the compatibility tests run clusters of
# Usage: scripts/ensure-tools.sh [nats-server] [harmonylite]   (no argument: both)
set -euo pipefail
NATS_SERVER_VERSION=v2.12.3     # what harmonylite v0.10.0's go.mod requires
HARMONYLITE_VERSION=v0.10.0     # newest tag the Go module proxy serves here
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$here/.tools/bin"
mkdir -p "$bin"
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(nats-server harmonylite)

# `go install pkg@version` asks the proxy for the module's version list, which this proxy refuses
# for harmonylite; building inside a throwaway module that requires the exact version avoids it.
go_build() { # name module version package
  local name=$1 module=$2 version=$3 pkg=$4 stamp="$bin/.$1.version"
  if [ -x "$bin/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || { echo "ensure-tools: Go 1.24+ is needed to build $name" >&2; return 1; }
  echo "ensure-tools: building $name $version from $module (once per machine, about a minute)..." >&2
  local work; work="$(mktemp -d)"
  printf 'module tidemark.local/tools\n\ngo 1.24\n\nrequire %s %s\n' "$module" "$version" > "$work/go.mod"
  if (cd "$work" && GOFLAGS=-mod=mod CGO_ENABLED=1 go build -o "$bin/$name.tmp" "$pkg" >&2); then
    mv "$bin/$name.tmp" "$bin/$name"
    echo "$version" > "$stamp"
    rm -rf "$work"
  else
    rm -rf "$work"
    return 1
  fi
}

for tool in "${wanted[@]}"; do
  case "$tool" in
    nats-server)
      if ! go_build nats-server github.com/nats-io/nats-server/v2 "$NATS_SERVER_VERSION" github.com/nats-io/nats-server/v2; then
        echo "ensure-tools: could not build nats-server $NATS_SERVER_VERSION; falling back to Debian's package" >&2
        if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
          SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
          $SUDO apt-get update -qq
          DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nats-server >/dev/null
        fi
      fi ;;
    harmonylite)
      go_build harmonylite github.com/wongfei2009/harmonylite "$HARMONYLITE_VERSION" github.com/wongfei2009/harmonylite || {
        echo "ensure-tools: could not build harmonylite $HARMONYLITE_VERSION from the Go module proxy;" \
             "the HarmonyLite compatibility tests cannot run without it" >&2; exit 1; } ;;
    *) echo "ensure-tools: unknown tool '$tool' (nats-server, harmonylite)" >&2; exit 2 ;;
  esac
done
