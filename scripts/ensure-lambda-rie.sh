#!/usr/bin/env bash
# Builds, once per machine, AWS's Lambda Runtime Interface Emulator (the program the AWS base images
# run a handler under outside Lambda) from its Go module at a pinned version, into
# .tools/bin/aws-lambda-rie (ignored by git). The functions' RuntimeEmulatorIT runs it and fails
# loudly without it.
set -euo pipefail
# The module has no tags the proxy serves (v1.23.0 is refused); this pseudo-version is its newest.
RIE_MODULE=github.com/aws/aws-lambda-runtime-interface-emulator
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$here/.tools/bin"
stamp="$bin/.aws-lambda-rie.version"
mkdir -p "$bin"
if [ -x "$bin/aws-lambda-rie" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$RIE_VERSION" ]; then exit 0; fi
command -v go >/dev/null 2>&1 || { echo "ensure-lambda-rie: Go 1.24+ is needed to build aws-lambda-rie" >&2; exit 1; }
echo "ensure-lambda-rie: building aws-lambda-rie $RIE_VERSION (once per machine)..." >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A throwaway module that requires the exact version: `go install pkg@version` asks the proxy for
# the version list, which it refuses here (as scripts/ensure-tools.sh does for nats-server).
printf 'module tidemark.local/rie\n\ngo 1.24\n\nrequire %s %s\n' "$RIE_MODULE" "$RIE_VERSION" > "$work/go.mod"
(cd "$work" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -o "$bin/aws-lambda-rie.tmp" "$RIE_MODULE/cmd/aws-lambda-rie" >&2)
mv "$bin/aws-lambda-rie.tmp" "$bin/aws-lambda-rie"
echo "$RIE_VERSION" > "$stamp"
