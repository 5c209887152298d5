#!/usr/bin/env bash
# Fuzz a running API from its OpenAPI document with schemathesis, every phase included
# (examples, coverage with invalid bodies, fuzzing in positive and negative modes): no
# answer may be a 5xx, and every answer must match the document.
#   API_URL=http://127.0.0.1:8069/my-api API_KEY=... api_doc/scripts/schemathesis_check.sh
# schemathesis comes from requirements.txt; VENV=<dir> installs it in a virtualenv instead.
set -euo pipefail
: "${API_URL:?set API_URL to the root URL of the API, e.g. http://127.0.0.1:8069/my-api}"
: "${API_KEY:?set API_KEY to a key of that API}"
st=$(command -v st || true)
if [ -n "${VENV:-}" ]; then
    if [ ! -x "$VENV/bin/st" ]; then
        python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "schemathesis>=4,<5"
    fi
    st="$VENV/bin/st"
fi
if [ -z "$st" ]; then
    echo "schemathesis is not installed; pip install 'schemathesis>=4,<5'" >&2
    exit 3
fi
checks=not_a_server_error,status_code_conformance,content_type_conformance
checks=$checks,response_schema_conformance
spec=$(mktemp --suffix=.json)
trap 'rm -f "$spec"' EXIT
curl -fsS -H "x-api-key: $API_KEY" "$API_URL/openapi.json" -o "$spec"
exec "$st" run "$spec" --url "$API_URL" -H "x-api-key: $API_KEY" --checks "$checks" \
    --phases examples,coverage,fuzzing --max-examples "${MAX_EXAMPLES:-20}" --workers 1
