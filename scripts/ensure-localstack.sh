#!/usr/bin/env bash
# Installs, once per machine, LocalStack's own runtime without a container (PyPI localstack-core)
# and moto's server (the fallback for any service LocalStack cannot start offline), at pinned
# versions, into .tools/localstack-venv (ignored by git). The -Plocalstack suites start it on a free
# loopback port (LocalStackHost in test-fixtures) and fail loudly without it. LocalStack's
# DynamoDB (it downloads a JDK and DynamoDB Local) and Secrets Manager do not start offline here:
# those two run on moto's server.
set -euo pipefail
LOCALSTACK_VERSION=2026.3.0
MOTO_VERSION=5.2.5
# localstack-core's runtime extra leaves these open and their newest releases break it:
# cbor2 6 dropped cbor2._decoder (its protocol parser imports it); twisted needs service_identity.
EXTRA_PINS="cbor2==5.6.5 service_identity==26.1.0"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.tools/localstack-venv"
stamp="$venv/.versions"
wanted="localstack-core[runtime]==$LOCALSTACK_VERSION moto[server]==$MOTO_VERSION $EXTRA_PINS"
if [ -x "$venv/bin/python" ] && [ -x "$venv/bin/moto_server" ] && [ -s "$venv/server.test.pem" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then exit 0; fi
# localstack-core 2026.x uses Python 3.12 syntax (its metadata says 3.10, wrongly): take a 3.12+.
py=""
pyenv_root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
for c in python3.13 python3.12 python3 "$pyenv_root"/versions/3.13*/bin/python3 "$pyenv_root"/versions/3.12*/bin/python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    py="$c"; break
  fi
done
[ -n "$py" ] || { echo "ensure-localstack: Python 3.12+ (with venv and pip) is needed for localstack-core $LOCALSTACK_VERSION" >&2; exit 1; }
echo "ensure-localstack: installing $wanted into $venv (once per machine, a few minutes)..." >&2
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "localstack-core[runtime]==$LOCALSTACK_VERSION" \
  "moto[server]==$MOTO_VERSION" $EXTRA_PINS >&2
# LocalStack downloads its TLS certificate at start, and its self-signed fallback needs an older
# pyOpenSSL: give it one made here (CUSTOM_SSL_CERT_PATH; the tests talk plain HTTP anyway).
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$venv/server.key" -out "$venv/server.crt" 2>/dev/null
cat "$venv/server.key" "$venv/server.crt" > "$venv/server.test.pem"
"$venv/bin/python" -c 'import localstack.aws.components, moto' >/dev/null
echo "$wanted" > "$stamp"
