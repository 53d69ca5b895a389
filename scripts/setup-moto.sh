#!/usr/bin/env bash
# Installs the pinned AWS emulator (moto) into a project-local virtualenv, once.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/.venv-moto"
pin="moto[server]==5.2.5"
# MOTO_PYTHON names another interpreter that already imports this moto (see __tests__/support/moto.ts).
if [ -n "${MOTO_PYTHON:-}" ]; then
  if "$MOTO_PYTHON" -c "import sys, moto; sys.exit(moto.__version__ != '${pin##*==}')"; then exit 0; fi
  echo "MOTO_PYTHON=$MOTO_PYTHON does not import moto ${pin##*==}" >&2
  exit 1
fi
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.pin" 2>/dev/null)" = "$pin" ]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "$pin"
echo "$pin" > "$venv/.pin"
echo "moto installed in $venv ($pin)"
