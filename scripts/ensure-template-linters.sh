#!/usr/bin/env bash
# Installs, once per machine, the CloudFormation linters the infra tests run over the synthesized
# templates (TemplateLintersTest): cfn-lint and checkov at pinned versions, in a virtualenv under
# .tools/cfn-linters-venv (ignored by git). The test fails loudly without them.
set -euo pipefail
CFN_LINT_VERSION=1.58.0
CHECKOV_VERSION=3.3.30
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.tools/cfn-linters-venv"
stamp="$venv/.versions"
wanted="cfn-lint==$CFN_LINT_VERSION checkov==$CHECKOV_VERSION"
if [ -x "$venv/bin/cfn-lint" ] && [ -x "$venv/bin/checkov" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then exit 0; fi
command -v python3 >/dev/null 2>&1 || { echo "ensure-template-linters: python3 (with venv and pip) is needed" >&2; exit 1; }
echo "ensure-template-linters: installing $wanted into $venv (once per machine, a few minutes)..." >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check $wanted >&2
"$venv/bin/cfn-lint" --version >/dev/null
"$venv/bin/checkov" --version >/dev/null
echo "$wanted" > "$stamp"
