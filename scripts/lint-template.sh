#!/usr/bin/env bash
# AWS's own CloudFormation linter over the member role's template (policies/member-role.template.json,
# which a test holds equal to what src/ writes into the StackSet). Installed once into .lint-tools/
# from PyPI, pinned.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tools="$here/.lint-tools"
cfn_lint_pin="1.58.0"
if [ ! -x "$tools/cfn-lint/bin/cfn-lint" ] || [ "$(cat "$tools/cfn-lint.pin" 2>/dev/null)" != "$cfn_lint_pin" ]; then
  python3 -m venv "$tools/cfn-lint"
  "$tools/cfn-lint/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==$cfn_lint_pin"
  echo "$cfn_lint_pin" > "$tools/cfn-lint.pin"
fi
# Every rule, informational ones included: any finding fails.
"$tools/cfn-lint/bin/cfn-lint" --include-checks I --regions us-east-1 -- "$here/policies/member-role.template.json"
echo "member role template: cfn-lint found nothing"
