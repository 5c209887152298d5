"""Check the production path of request logging in real servers; not a test module.

``bin/test`` runs with the registry in test mode, where requests share the test
transaction and a log is written without the post-commit hook, the writer thread or a
cursor of its own. This script runs that path for real: on a fresh database it starts a
threaded server and a prefork server (``--workers=2``) and checks, on each, over HTTP:

- a successful call is logged (queued once its transaction commits, written by the
  writer thread), with its user and masked key;
- a failed call is logged although its transaction was rolled back, and wrote nothing;
- a call of an API whose logging is off is not logged;
- "Errors Only" logs a GraphQL error answered with 200, and not a good query.

    python3 api_log/tests/check_production_logging.py

Environment: LOG_CHECK_DB (default t_apilog_check, dropped first), LOG_CHECK_PORT (default
8356; the servers use LOG_CHECK_PORT..LOG_CHECK_PORT+3), LOG_CHECK_KEEP_DB=1 keeps the
database. Prints one line per check and closes with "logcheck: N passed, N failed"; exits
1 on any failure.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import requests
from psycopg2 import sql

REPO = Path(__file__).resolve().parents[2]
DB = os.environ.get("LOG_CHECK_DB", "t_apilog_check")
PORT = int(os.environ.get("LOG_CHECK_PORT", "8356"))
ADDONS = "api_framework_base,api_auth_apikey,api_rest_json,api_graphql,api_log"
TIMEOUT = 30
LOG_WAIT_SECONDS = 15

SETUP_SCRIPT = """
import json
user = env["res.users"].with_context(no_reset_password=True).create({
    "name": "Log check caller", "login": "log_check_caller",
    "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref("base.group_partner_manager").id,
                          env.ref("api_framework_base.group_api_user").id])],
})
apis = {}
for endpoint, protocol, mode in (("check-log-all", "rest_json", "all"),
                                 ("check-log-off", "rest_json", "off"),
                                 ("check-log-gql", "graphql", "errors")):
    api = env["api.api"].create({
        "name": endpoint, "endpoint": endpoint, "protocol": protocol, "auth_type": "apikey",
        "user_ids": [(6, 0, user.ids)], "log_mode": mode,
    })
    api.action_publish()
    apis[endpoint] = {"id": api.id, "key": env["api.key"]._generate(api, user, "log check")}
env.cr.commit()
print("LOG-CHECK-SETUP " + json.dumps({"user_id": user.id, "apis": apis}))
"""


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Checker:
    """Count passed and failed checks, and write one line for each."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            say(f"  ok    {name}")
        else:
            self.failed += 1
            say(f"  FAIL  {name}" + (f": {detail}" if detail else ""))
        return ok


def odoo_args():
    """Return Odoo's arguments from bin/_env.sh, and take its PostgreSQL settings (PGHOST,
    PGPORT, PGUSER and their defaults) for this script's own connections."""
    script = 'source "$1/bin/_env.sh" && printf "%s\\n" "$PGHOST" "$PGPORT" "$PGUSER" ' \
             '"${ODOO_ARGS[@]}"'
    out = subprocess.run(["bash", "-c", script, "bash", str(REPO)], check=True,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    lines = out.stdout.splitlines()
    os.environ.update(PGHOST=lines[0], PGPORT=lines[1], PGUSER=lines[2])
    return [line for line in lines[3:] if line]


def python():
    return os.environ.get("PYTHON", "python3")


def run(cmd, log, stdin=None):
    with open(log, "a") as handle:
        result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=handle, text=True,
                                input=stdin, timeout=1200)
    if result.returncode:
        sys.stderr.write(Path(log).read_text()[-4000:])
        raise SystemExit(f"{' '.join(cmd[:4])}... failed; see {log}")
    return result.stdout


def connect(dbname):
    return psycopg2.connect(dbname=dbname)


def drop_database(dbname):
    conn = connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(dbname)))
    conn.close()


def prepare_database(args, log):
    drop_database(DB)
    run([python(), "-m", "odoo", *args, "-d", DB, "-i", ADDONS, "--without-demo=all",
         "--stop-after-init", "--max-cron-threads=0", "--log-level=warn"], log)
    out = run([python(), "-m", "odoo", "shell", *args, "-d", DB, "--no-http",
               "--log-level=warn"], log, stdin=SETUP_SCRIPT)
    line = next(line for line in out.splitlines() if line.startswith("LOG-CHECK-SETUP "))
    return json.loads(line.split(" ", 1)[1])


def start_server(args, port, log_path, workers):
    handle = open(log_path, "a")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [python(), "-m", "odoo", *args, "-d", DB, f"--http-port={port}",
         f"--gevent-port={port + 1}", f"--workers={workers}", "--max-cron-threads=0",
         "--log-level=warn"],
        stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
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
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    except ProcessLookupError:
        pass


def wait_for_logs(request_ids, expected):
    """Return ``{request id: row}`` of the logs of ``request_ids`` found once those of
    ``expected`` are all there, or after LOG_WAIT_SECONDS."""
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    conn = connect(DB)
    conn.autocommit = True
    try:
        while True:
            with conn.cursor() as cr:
                cr.execute("SELECT request_id, api_id, status, user_id, request_headers, "
                           "request_body, error_type FROM api_log WHERE request_id IN %s",
                           [tuple(request_ids)])
                rows = {row[0]: row for row in cr.fetchall()}
            if set(expected) <= set(rows) or time.monotonic() > deadline:
                return rows
            time.sleep(0.25)
    finally:
        conn.close()


def partner_count(name):
    conn = connect(DB)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM res_partner WHERE name = %s", [name])
            return cr.fetchone()[0]
    finally:
        conn.close()


def call(url, endpoint, key, path="", body=None):
    response = requests.post(f"{url}/{endpoint}{path}", data=json.dumps(body),
                             headers={"x-api-key": key, "Content-Type": "application/json"},
                             timeout=TIMEOUT)
    return response, response.headers.get("X-Request-Id", "")


def check_server(checker, url, label, setup):
    apis, user_id = setup["apis"], setup["user_id"]
    all_api, off_api, gql_api = (apis[name] for name in
                                 ("check-log-all", "check-log-off", "check-log-gql"))
    rest = "/res.partner/search_count"
    ok, ok_id = call(url, "check-log-all", all_api["key"], rest, {"args": [[]]})
    parent = f"Rolled back parent ({label})"
    body = {"args": [[{"name": parent,
                       "child_ids": [[0, 0, {"name": False, "type": "contact"}]]}]]}
    failed, failed_id = call(url, "check-log-all", all_api["key"], "/res.partner/create",
                             body)
    off, off_id = call(url, "check-log-off", off_api["key"], rest, {"args": [[]]})
    good, good_id = call(url, "check-log-gql", gql_api["key"],
                         body={"query": "{ ResPartner(limit: 1) { id } }"})
    bad, bad_id = call(url, "check-log-gql", gql_api["key"],
                       body={"query": "{ NoSuchModel { id } }"})
    statuses = (ok.status_code, failed.status_code // 100, off.status_code,
                good.status_code, bad.status_code)
    if not checker.check(f"{label}: the calls are answered", statuses == (200, 4, 200, 200, 200),
                         f"statuses {statuses}"):
        return
    logs = wait_for_logs([ok_id, failed_id, off_id, good_id, bad_id],
                         [ok_id, failed_id, bad_id])
    row = logs.get(ok_id)
    checker.check(f"{label}: a successful call is logged by the writer", row is not None
                  and row[1:4] == (all_api["id"], 200, user_id), repr(row))
    checker.check(f"{label}: its API key is masked", row is not None
                  and all_api["key"] not in (row[4] or "") and "********" in row[4])
    row = logs.get(failed_id)
    checker.check(f"{label}: a failed call is logged", row is not None
                  and row[2] == failed.status_code and row[6], repr(row))
    checker.check(f"{label}: ... and its transaction was rolled back",
                  partner_count(parent) == 0)
    checker.check(f"{label}: a call of an API whose logging is off is not logged",
                  off_id not in logs)
    checker.check(f"{label}: Errors Only logs a GraphQL error answered with 200",
                  bad_id in logs and logs[bad_id][2] == 200, repr(logs.get(bad_id)))
    checker.check(f"{label}: Errors Only skips a good GraphQL query", good_id not in logs)


def main():
    checker = Checker()
    log = tempfile.mktemp(prefix="check-log-", suffix=".log")
    args = odoo_args()
    say(f"Preparing database {DB} (log: {log})")
    setup = prepare_database(args, log)
    try:
        for label, workers, port in (("threaded", 0, PORT), ("prefork", 2, PORT + 2)):
            proc, url = start_server(args, port, log, workers)
            try:
                check_server(checker, url, label, setup)
            finally:
                stop_server(proc)
    finally:
        if os.environ.get("LOG_CHECK_KEEP_DB") != "1":
            drop_database(DB)
    say(f"logcheck: {checker.passed} passed, {checker.failed} failed")
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main())
