#!/usr/bin/env bash
# Destroys a review stack and removes it from the backend (platform-review.yml).
# Only review-<n> stacks: a typo or a forged name can never reach staging or
# production. A stack that does not exist (never deployed, already swept) is
# not an error. Nothing in a review stack is protected, so destroy completes.
set -euo pipefail
stack=${1:-}
if ! [[ "$stack" =~ ^review-[1-9][0-9]*$ ]]; then
  echo "destroy.sh: refusing '$stack': only review-<number> stacks are destroyed here" >&2
  exit 1
fi
if ! pulumi stack select "$stack" --non-interactive >/dev/null 2>&1; then
  echo "no stack $stack: nothing to destroy"
  exit 0
fi
pulumi destroy --stack "$stack" --yes --skip-preview --non-interactive
pulumi stack rm "$stack" --yes --non-interactive
echo "destroyed and removed $stack"
