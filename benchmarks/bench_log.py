"""Measure what request logging (api_log) costs a REST-JSON call.

Not a test: it measures. The same ``search_read`` of 80 partners is sent to two APIs of
one database that differ only in their logging: *off*, and *all requests with bodies*.
Rounds alternate between the two; the script prints the median milliseconds per request
of each, their difference (target: a few ms at most), and checks that every logged call
reached the database.

    python3 benchmarks/bench_log.py                     # threaded server
    python3 benchmarks/bench_log.py --workers 2         # prefork server

The script recreates its own database (t_apilog_bench by default) and starts its own
server on it; both are left in place for inspection only if --keep is given.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
FIELDS = ["name", "email", "phone", "city", "country_id", "is_company", "write_date"]
LIMIT = 80
TIMEOUT = 30
TARGET_MS = 3.0

SETUP_SCRIPT = """
import json
user = env["res.users"].with_context(no_reset_password=True).create({
    "name": "Log benchmark user", "login": "log_bench_user",
    "groups_id": [(6, 0, [env.ref("base.group_user").id,
                          env.ref("api_framework_base.group_api_user").id])],
})
env["res.partner"].create([{
    "name": f"Log benchmark partner {index:03d}", "email": f"p{index}@example.com",
    "phone": "+32 2 555 00 00", "city": "Brussels", "country_id": env.ref("base.be").id,
} for index in range(120)])
keys = {}
for endpoint, mode in (("bench-log-off", "off"), ("bench-log-all", "all")):
    api = env["api.api"].create({
        "name": endpoint, "endpoint": endpoint, "protocol": "rest_json",
        "auth_type": "apikey", "user_ids": [(6, 0, user.ids)], "log_mode": mode,
        "log_bodies": True, "log_tail_length": 4096,
    })
    api.action_publish()
    keys[endpoint] = [api.id, env["api.key"]._generate(api, user, "benchmark")]
env.cr.commit()
print("BENCH-SETUP " + json.dumps(keys))
"""


def odoo_args():
    """Return Odoo's arguments from bin/_env.sh, and take its PostgreSQL settings (PGHOST,
    PGPORT, PGUSER and their defaults) for this script's own connections."""
    script = (
        'source "$1/bin/_env.sh" && printf "%s\\n" "$PGHOST" "$PGPORT" "$PGUSER" '
        '"${ODOO_ARGS[@]}"'
    )
    out = subprocess.run(
        ["bash", "-c", script, "bash", str(REPO)],
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    lines = out.stdout.splitlines()
    os.environ.update(PGHOST=lines[0], PGPORT=lines[1], PGUSER=lines[2])
    return [line for line in lines[3:] if line]


def run(cmd, log, stdin=None):
    with open(log, "a") as handle:
        result = subprocess.run(
            cmd, stdout=subprocess.PIPE, stderr=handle, text=True, input=stdin, timeout=1200
        )
    if result.returncode:
        print(Path(log).read_text()[-4000:], file=sys.stderr)
        raise SystemExit(f"{' '.join(cmd[:4])}... failed; see {log}")
    return result.stdout


def drop_database(db):
    import psycopg2

    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    conn.close()


def prepare_database(args, db, log):
    """Recreate ``db`` with the addons, 120 partners, a user and two APIs with keys."""
    drop_database(db)
    python = os.environ.get("PYTHON", "python3")
    run(
        [
            python,
            "-m",
            "odoo",
            *args,
            "-d",
            db,
            "-i",
            "api_framework_base,api_auth_apikey,api_rest_json,api_log",
            "--without-demo=all",
            "--stop-after-init",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        log,
    )
    out = run(
        [python, "-m", "odoo", "shell", *args, "-d", db, "--no-http", "--log-level=warn"],
        log,
        stdin=SETUP_SCRIPT,
    )
    line = next(line for line in out.splitlines() if line.startswith("BENCH-SETUP "))
    return json.loads(line.split(" ", 1)[1])


def start_server(args, db, port, log_path, workers):
    python = os.environ.get("PYTHON", "python3")
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [
            python,
            "-m",
            "odoo",
            *args,
            "-d",
            db,
            f"--http-port={port}",
            f"--gevent-port={port + 1}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped; see {log_path}")
        try:
            requests.get(f"{url}/web/webclient/version_info", timeout=2)
            return proc, url
        except requests.RequestException:
            time.sleep(0.5)
    stop_server(proc)
    raise SystemExit(f"the server did not start; see {log_path}")


def stop_server(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def make_call(url, endpoint, key):
    """Return a function sending the REST-JSON ``search_read`` once to ``endpoint``."""
    session = requests.Session()
    session.headers.update({"x-api-key": key, "Content-Type": "application/json"})
    target = f"{url}/{endpoint}/res.partner/search_read"
    body = json.dumps({"args": [[]], "kwargs": {"fields": FIELDS, "limit": LIMIT, "order": "id"}})

    def call():
        response = session.post(target, data=body, timeout=TIMEOUT)
        response.raise_for_status()
        assert len(response.json()["result"]) == LIMIT, response.text[:200]

    return call


def ms_per_request(call, count):
    started = time.perf_counter()
    for _index in range(count):
        call()
    return (time.perf_counter() - started) * 1000.0 / count


def count_logs(db, api_id):
    import psycopg2

    conn = psycopg2.connect(dbname=db)
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT count(*), avg(query_count), avg(duration_ms) FROM api_log "
                "WHERE api_id = %s",
                (api_id,),
            )
            return cr.fetchone()
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="t_apilog_bench")
    parser.add_argument("--port", type=int, default=8264)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=100, help="per round and API")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    options = parser.parse_args()

    log = tempfile.mktemp(prefix="bench-log-", suffix=".log")
    args = odoo_args()
    print(f"Preparing database {options.db} (log: {log})")
    apis = prepare_database(args, options.db, log)
    proc, url = start_server(args, options.db, options.port, log, options.workers)
    try:
        calls = {
            endpoint: make_call(url, endpoint, key) for endpoint, (_api_id, key) in apis.items()
        }
        for call in calls.values():
            ms_per_request(call, 20)
        timings = {endpoint: [] for endpoint in calls}
        for _round in range(options.rounds):
            for endpoint, call in calls.items():
                timings[endpoint].append(ms_per_request(call, options.requests))
        time.sleep(2)  # let the writer thread drain its queue
    finally:
        stop_server(proc)

    off = statistics.median(timings["bench-log-off"])
    on = statistics.median(timings["bench-log-all"])
    sent = 20 + options.rounds * options.requests
    logged, queries, server_ms = count_logs(options.db, apis["bench-log-all"][0])
    not_logged = count_logs(options.db, apis["bench-log-off"][0])[0]
    mode = f"prefork, {options.workers} workers" if options.workers else "threaded"
    print(
        f"REST-JSON search_read of {LIMIT} partners, {mode} server, "
        f"median of {options.rounds} rounds x {options.requests} requests:"
    )
    print(f"  logging off:               {off:7.2f} ms per request")
    print(f"  logging all, with bodies:  {on:7.2f} ms per request")
    print(
        f"  difference:                {on - off:+7.2f} ms per request "
        f"(target: at most {TARGET_MS:.0f} ms)"
    )
    print(
        f"  logs written: {logged} of {sent} calls logged (API with logging off: "
        f"{not_logged}); {float(queries or 0):.1f} SQL queries and "
        f"{float(server_ms or 0):.2f} ms per call as logged"
    )
    if not options.keep:
        drop_database(options.db)
    ok = on - off <= TARGET_MS and logged == sent and not not_logged
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
