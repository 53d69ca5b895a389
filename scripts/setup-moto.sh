#!/usr/bin/env bash
# Installs the pinned AWS emulator (moto) into a project-local virtualenv, once.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/.venv-moto"
pin="moto[server]==5.2.5"
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.pin" 2>/dev/null)" = "$pin" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "$pin"
echo "$pin" > "$venv/.pin"
echo "moto installed in $venv ($pin)"
