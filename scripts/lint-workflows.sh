#!/usr/bin/env bash
# actionlint and zizmor (offline) over .github/workflows and over every workflow the README and docs/
# shows. Both are installed once into .lint-tools/ from their registries (the Go module proxy
# and PyPI), pinned; no prebuilt binary is downloaded.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tools="$here/.lint-tools"
actionlint_pin="v1.7.12"
zizmor_pin="1.32.0"

if [ ! -x "$tools/bin/actionlint" ] || [ "$(cat "$tools/actionlint.pin" 2>/dev/null)" != "$actionlint_pin" ]; then
  GOBIN="$tools/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_pin"
  echo "$actionlint_pin" > "$tools/actionlint.pin"
fi
if [ ! -x "$tools/venv/bin/zizmor" ] || [ "$(cat "$tools/zizmor.pin" 2>/dev/null)" != "$zizmor_pin" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "zizmor==$zizmor_pin"
  echo "$zizmor_pin" > "$tools/zizmor.pin"
fi

examples="$(mktemp -d)"
trap 'rm -rf "$examples"' EXIT
node --no-warnings "$here/scripts/readme-workflows.ts" "$examples"

cd "$here"
"$tools/bin/actionlint" .github/workflows/*.yml
(cd "$examples" && "$tools/bin/actionlint" -shellcheck= .github/workflows/*.yml)
"$tools/venv/bin/zizmor" --offline --quiet .github/workflows
"$tools/venv/bin/zizmor" --offline --quiet --config "$here/scripts/readme-zizmor.yml" "$examples/.github/workflows"
echo "workflows: actionlint and zizmor found nothing"
