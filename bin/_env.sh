# Shared by bin/demo and bin/test: checks the prerequisites and sets ODOO_ARGS.
# Settings come from the environment: PGHOST, PGPORT, PGUSER, ODOO_ADDONS_PATH.

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import odoo.release, sys; sys.exit(odoo.release.version_info[0] != 18)' \
        2>/dev/null; then
    found=$("$PYTHON" -c 'import odoo.release; print(odoo.release.version)' 2>/dev/null \
        || echo "no module named odoo")
    echo "error: Odoo 18 is not importable as 'odoo' by $PYTHON ($found)." >&2
    echo "Install Odoo 18 (e.g. 'pip install -e /path/to/odoo' from a checkout of its 18.0" >&2
    echo "branch) or set PYTHON to an interpreter that has it; see README.md, Prerequisites." >&2
    exit 3
fi

export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-$(id -un)}
if [ "$PGUSER" = postgres ]; then
    echo "error: Odoo refuses to run as the 'postgres' database user; set PGUSER." >&2
    exit 3
fi
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null \
        && ! "$PYTHON" -c "import psycopg2; psycopg2.connect(dbname='postgres')" 2>/dev/null; then
    echo "error: PostgreSQL does not answer at $PGHOST:$PGPORT as user $PGUSER." >&2
    echo "Start PostgreSQL, or point at it with PGHOST, PGPORT and PGUSER (a role that may" >&2
    echo "create databases; PGPASSWORD if it needs one); see README.md, Prerequisites." >&2
    exit 3
fi

# Odoo's own addons (as its configuration or installation defines them), then ours.
odoo_addons=${ODOO_ADDONS_PATH:-$("$PYTHON" - <<'PY' 2>/dev/null
from odoo.tools import config
config.parse_config([])
print(config["addons_path"])
PY
)}
ODOO_ARGS=(
    --addons-path="$odoo_addons,$repo_root"
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER"
)

# Odoo's own launcher when it has one: a prefork server (--workers) starts its gevent
# process again with the same script, which `python -m odoo` cannot be.
odoo_launcher=$("$PYTHON" - <<'PY' 2>/dev/null
import os, odoo
launcher = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
print(launcher if os.path.isfile(launcher) else "")
PY
)
if [ -n "$odoo_launcher" ]; then
    ODOO_CMD=("$PYTHON" "$odoo_launcher")
else
    ODOO_CMD=("$PYTHON" -m odoo)
fi

odoo_bin() {
    "${ODOO_CMD[@]}" "$@"
}

drop_database() {
    "$PYTHON" - "$1" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % sys.argv[1])
PY
}

database_exists() {
    "$PYTHON" - "$1" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
cr = conn.cursor()
cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [sys.argv[1]])
if not cr.fetchone():
    sys.exit(1)
conn.close()
# A database Odoo has initialised has the table of its modules.
conn = psycopg2.connect(dbname=sys.argv[1])
cr = conn.cursor()
cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
sys.exit(0 if cr.fetchone()[0] else 1)
PY
}

suite_addons() {
    local names=()
    for manifest in "$repo_root"/*/__manifest__.py; do
        names+=("$(basename "$(dirname "$manifest")")")
    done
    local IFS=,
    echo "${names[*]}"
}
