#!/usr/bin/env bash
# Check the README's demo command: bin/demo twice on a fresh database, then every curl
# line it printed, against the server it starts. Closes with "demo: N passed, N failed".
# DEMO_CHECK_DB (default t_infra_ci_demo, dropped first) and DEMO_CHECK_PORT (8228).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/bin/_env.sh"
export API_DEMO_DB=${DEMO_CHECK_DB:-t_infra_ci_demo}
export API_DEMO_PORT=${DEMO_CHECK_PORT:-8228}
workdir=$(mktemp -d -t api-demo-check.XXXXXX)
passed=0
failed=0
server=

result() {  # result OK|FAIL description
    if [ "$1" = OK ]; then passed=$((passed + 1)); echo "  ok    $2"
    else failed=$((failed + 1)); echo "  FAIL  $2"; fi
}
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill "$server"; wait "$server" 2>/dev/null
    fi
    drop_database "$API_DEMO_DB"
}
trap cleanup EXIT

drop_database "$API_DEMO_DB"
for run in 1 2; do
    if API_DEMO_SETUP_ONLY=1 "$repo/bin/demo" > "$workdir/setup$run.out" 2>&1 </dev/null; then
        result OK "bin/demo run $run sets the demo up"
    else
        result FAIL "bin/demo run $run sets the demo up"; tail -n 30 "$workdir/setup$run.out"
    fi
done
old_key=$(grep -m1 -o "API key (shown once[^:]*: [^ ]*" "$workdir/setup1.out" | awk '{print $NF}')

"$repo/bin/demo" > "$workdir/serve.out" 2>&1 </dev/null &
server=$!
for _ in $(seq 120); do
    curl -sf -o /dev/null "http://localhost:$API_DEMO_PORT/web/health" && break
    kill -0 "$server" 2>/dev/null || break
    sleep 1
done
grep -E '^\s+curl ' "$workdir/serve.out" | sed 's/^ *//' > "$workdir/curls"
[ -s "$workdir/curls" ] && result OK "bin/demo prints curl lines" \
    || { result FAIL "bin/demo prints curl lines"; tail -n 30 "$workdir/serve.out"; }
while read -r line; do
    code=$(eval "$line -o $workdir/body -w '%{http_code}'" 2>/dev/null)
    if [ "${code:0:1}" = 2 ] && ! grep -q '"errors\?"' "$workdir/body"; then result OK "$code ${line:0:110}"
    else result FAIL "$code ${line:0:110}: $(head -c 300 "$workdir/body")"; fi
done < "$workdir/curls"
if [ -n "$old_key" ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "x-api-key: $old_key" \
        "http://localhost:$API_DEMO_PORT/demo-rest")
    [ "$code" = 401 ] && result OK "the key of the previous run is revoked (401)" \
        || result FAIL "the key of the previous run is revoked: got $code"
fi
echo "demo: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
