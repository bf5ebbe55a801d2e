#!/bin/bash
# After a failed `make test`: copies what explains the failure out of the clone, which CI deletes, into the cache —
# the test reports, the logs the tests wrote under target/ (containers, database servers, the operator), and points
# to the local cluster's logs, which `cluster.sh down` keeps. Usage: keep-test-evidence.sh
set -uo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/../.." && pwd)"
CACHE_ROOT="${TEACHTRACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/teachtrack}"
KEPT="${CACHE_ROOT}/last-failed-test"

rm -rf "$KEPT"
mkdir -p "$KEPT"
cd "$REPO_ROOT" || exit 0
git log -1 --format='%H %s' > "${KEPT}/commit" 2>/dev/null || true
# Reports in full; logs up to 50 MB each (an audit log or a load test's output can be larger and says little more).
find . -path ./.git -prune -o -path '*/target/*' \( -path '*-reports/*' -o -name '*.log' -size -50M \) -type f -print0 2>/dev/null |
  xargs -0 -r cp --parents -t "$KEPT" 2>/dev/null
echo "[make] the failed run's reports and logs were kept in ${KEPT} ($(du -sh "$KEPT" | cut -f1));" \
  "the local cluster's logs in ${CACHE_ROOT}/cluster/last-logs-*" >&2
