#!/usr/bin/env bash
# An IAM policy linter built on AWS's Service Authorization Reference (parliament, pinned, from PyPI)
# over every policy the README tells users to attach (policies/*.json; the member role's template is
# cfn-lint's, scripts/lint-template.sh). It knows which actions take which resources and conditions,
# which moto never checks: a policy naming an action with a resource it does not support denies it
# in a real account. MEDIUM or worse fails.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tools="$here/.lint-tools"
pin="1.6.4"
if [ ! -x "$tools/parliament/bin/parliament" ] || [ "$(cat "$tools/parliament.pin" 2>/dev/null)" != "$pin" ]; then
  python3 -m venv "$tools/parliament"
  "$tools/parliament/bin/pip" install --quiet --disable-pip-version-check "parliament==$pin"
  echo "$pin" > "$tools/parliament.pin"
fi
failed=0
checked=0
for policy in "$here"/policies/*.json; do
  [ "$(basename "$policy")" = member-role.template.json ] && continue
  # --string, not --file: parliament refuses --file whenever stdin is not a terminal (as in CI).
  if ! findings="$("$tools/parliament/bin/parliament" --minimum_severity MEDIUM --string "$(cat "$policy")" 2>&1)" || [ -n "$findings" ]; then
    echo "policies/$(basename "$policy"):" >&2
    echo "$findings" >&2
    failed=1
  fi
  checked=$((checked + 1))
done
[ "$failed" = 0 ] || exit 1
echo "IAM policies: parliament found nothing at MEDIUM or worse in $checked files"
