#!/usr/bin/env bash
# Installs, once per machine, the WebDAV server the WebDAV store's tests run: wsgidav on cheroot at
# pinned versions, in a virtualenv under .tools/wsgidav-venv (ignored by git).
# The tests (WsgiDavServer) run .tools/wsgidav-venv/bin/wsgidav and fail loudly without it.
set -euo pipefail
WSGIDAV_VERSION=4.4.0
CHEROOT_VERSION=11.1.2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.tools/wsgidav-venv"
stamp="$venv/.versions"
wanted="wsgidav==$WSGIDAV_VERSION cheroot==$CHEROOT_VERSION"
if [ -x "$venv/bin/wsgidav" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then exit 0; fi
command -v python3 >/dev/null 2>&1 || { echo "ensure-wsgidav: python3 (with venv and pip) is needed" >&2; exit 1; }
echo "ensure-wsgidav: installing $wanted into $venv ..." >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check $wanted >&2
"$venv/bin/wsgidav" --version >/dev/null
echo "$wanted" > "$stamp"
