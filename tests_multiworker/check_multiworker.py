"""Check that API configuration changes reach every worker of every server at once.

On a fresh database with the suite's core installed, one server runs with ``--workers=2``
and a second, threaded server shares the database. Publishing, unpublishing, revoking a
key, throttling repeated failures and a new field in the GraphQL schema must take effect on
the next request on both, since each worker learns of the change through Odoo's registry
signalling.

    python3 tests_multiworker/check_multiworker.py

Environment: MW_DB (default t_infra_mw, dropped first), MW_PORT (default 8224: the servers
use MW_PORT..MW_PORT+3), MW_KEEP_DB=1 keeps the database afterwards. Prints one line per
check and closes with "multiworker: N passed, N failed"; exits 1 on any failure.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
DB = os.environ.get("MW_DB", "t_infra_mw")
OTHER_DB = f"{DB}_other"
PORT = int(os.environ.get("MW_PORT", "8224"))
ADDONS = "api_framework_base,api_auth_apikey,api_rest_json,api_graphql"
ENDPOINT = "mw-rest"
ADMIN_PASSWORD = "admin"
REQUESTS_PER_CHECK = 12
TIMEOUT = 30

SETUP_SCRIPT = """
import json
admin = env.ref("base.user_admin")
admin.password = %(admin_password)r
user = env["res.users"].with_context(no_reset_password=True).create({
    "name": "Multi-worker caller", "login": "mw_caller",
    "groups_id": [(6, 0, [env.ref("base.group_user").id,
                          env.ref("api_framework_base.group_api_user").id])],
})
api = env["api.api"].create({
    "name": "Multi-worker", "endpoint": %(endpoint)r, "protocol": "rest_json",
    "auth_type": "apikey", "user_ids": [(6, 0, user.ids)],
})
api.action_publish()
key = env["api.key"]._generate(api, user, "multi-worker check")
graphql = env["api.api"].create({
    "name": "Multi-worker GraphQL", "endpoint": "mw-graphql", "protocol": "graphql",
    "auth_type": "apikey", "user_ids": [(6, 0, user.ids)],
})
graphql.action_publish()
graphql_key = env["api.key"]._generate(graphql, user, "multi-worker check")
params = env["ir.config_parameter"]
params.set_param("api_framework.auth_failure_threshold", "10")
params.set_param("api_framework.auth_lockout_seconds", "60")
env.cr.commit()
print("MW-SETUP " + json.dumps({"api_id": api.id, "key": key, "key_id": env["api.key"].search(
    [("api_id", "=", api.id)]).id, "graphql_key": graphql_key}))
"""


class Checker:
    """Count passed and failed checks, and print one line for each."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print(f"  ok    {name}", flush=True)
        else:
            self.failed += 1
            print(f"  FAIL  {name}: {detail}", flush=True)
        return ok


def odoo_args():
    """Return the Odoo command-line arguments bin/_env.sh computes (addons path, db)."""
    script = 'source "$1/bin/_env.sh" && printf "%s\\n" "${ODOO_ARGS[@]}"'
    out = subprocess.run(
        ["bash", "-c", script, "bash", str(REPO)],
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    return [line for line in out.stdout.splitlines() if line]


def run(cmd, log, stdin=None):
    """Run ``cmd``; on failure show the end of its log and stop."""
    with open(log, "a") as handle:
        result = subprocess.run(
            cmd, stdout=subprocess.PIPE, stderr=handle, text=True, input=stdin, timeout=1200
        )
    if result.returncode:
        print(Path(log).read_text()[-4000:], file=sys.stderr)
        sys.exit(f"multiworker: {' '.join(cmd[:4])}... failed; see {log}")
    return result.stdout


def drop_database():
    import psycopg2

    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        for name in (DB, OTHER_DB):
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def create_other_database():
    """An empty second database, so that the selector server serves two."""
    import psycopg2

    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{OTHER_DB}"')
    conn.close()


def prepare(args, log):
    """Create the database, install the addons, create the API and its key."""
    drop_database()
    python = os.environ.get("PYTHON", "python3")
    run(
        [
            python,
            "-m",
            "odoo",
            *args,
            "-d",
            DB,
            "-i",
            ADDONS,
            "--without-demo=all",
            "--stop-after-init",
            "--max-cron-threads=0",
            "--log-level=warn",
            f"--http-port={PORT}",
        ],
        log,
    )
    out = run(
        [python, "-m", "odoo", "shell", *args, "-d", DB, "--no-http", "--log-level=warn"],
        log,
        stdin=SETUP_SCRIPT % {"admin_password": ADMIN_PASSWORD, "endpoint": ENDPOINT},
    )
    line = next(line for line in out.splitlines() if line.startswith("MW-SETUP "))
    return json.loads(line.split(" ", 1)[1])


def start_servers(args, logdir, servers):
    """Start a server with 2 workers and a threaded one, appending them to ``servers``."""
    python = os.environ.get("PYTHON", "python3")
    common = [
        python,
        "-m",
        "odoo",
        *args,
        "-d",
        DB,
        f"--db-filter=^{DB}$",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    # The third server serves two databases: calls choose theirs with X-Odoo-Database.
    selector = [
        python, "-m", "odoo", *args, f"--db-filter=^({DB}|{OTHER_DB})$",
        "--load=base,web,api_framework_base", "--max-cron-threads=0", "--log-level=warn",
    ]
    specs = ((common, ["--workers=2"]), (common, ["--workers=0"]), (selector, ["--workers=0"]))
    for index, (command, extra) in enumerate(specs):
        port = PORT + 2 * index
        log = open(Path(logdir) / f"server{index + 1}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [*command, *extra, f"--http-port={port}", f"--gevent-port={port + 1}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        servers.append((proc, f"http://127.0.0.1:{port}", log))
    deadline = time.monotonic() + 180
    for proc, url, _log in servers:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server at {url} exited with {proc.returncode}")
            try:
                if requests.get(f"{url}/web/health", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server at {url} did not answer within 180s")
            time.sleep(1)


def stop_servers(servers):
    """Stop the servers and their workers (each runs in a process group of its own)."""
    for proc, _url, _log in servers:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc, _url, log in servers:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


def call_api(url, key, endpoint=ENDPOINT):
    """Describe the API once; return the response."""
    return requests.get(f"{url}/{endpoint}", headers={"x-api-key": key}, timeout=TIMEOUT)


def statuses(url, key, count=REQUESTS_PER_CHECK, endpoint=ENDPOINT):
    return [call_api(url, key, endpoint).status_code for _ in range(count)]


class Admin:
    """An Odoo web session of the administrator, calling the ORM through JSON-RPC."""

    def __init__(self, url):
        self.url = url
        self.session = requests.Session()
        self._rpc(
            "/web/session/authenticate", {"db": DB, "login": "admin", "password": ADMIN_PASSWORD}
        )

    def _rpc(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        payload = response.json()
        if "error" in payload:
            raise RuntimeError(f"{path}: {payload['error'].get('data', {}).get('message')}")
        return payload["result"]

    def call(self, model, method, ids, *args):
        return self._rpc(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": [ids, *args], "kwargs": {}},
        )


def expect_everywhere(checker, servers, key, status, what, endpoint=ENDPOINT):
    for _proc, url, _log in servers:
        got = statuses(url, key, endpoint=endpoint)
        checker.check(
            f"{what}: {status} on {url} ({len(got)} requests)",
            all(code == status for code in got),
            f"got {got}",
        )


def check_database_selection(checker, url, key):
    """With two databases on a server, the header chooses; without it, nothing answers."""
    chosen = requests.get(f"{url}/{ENDPOINT}", timeout=TIMEOUT,
                          headers={"x-api-key": key, "X-Odoo-Database": DB})
    checker.check("X-Odoo-Database chooses the database: 200", chosen.status_code == 200,
                  f"got {chosen.status_code}")
    unnamed = call_api(url, key)
    checker.check("two databases and no header: 404", unnamed.status_code == 404,
                  f"got {unnamed.status_code}")
    filtered = requests.get(f"{url}/{ENDPOINT}", timeout=TIMEOUT,
                            headers={"x-api-key": key, "X-Odoo-Database": "postgres"})
    checker.check("a database outside the filter is never chosen: 404",
                  filtered.status_code == 404, f"got {filtered.status_code}")


def check_graphql_schema(checker, servers, admin, key):
    """A field added to res.partner enters the cached GraphQL schema of every worker."""
    body = {"query": "{ ResPartner(limit: 1) { x_mw_note } }"}

    def errors(url):
        return [bool(requests.post(f"{url}/mw-graphql", json=body, timeout=TIMEOUT,
                                   headers={"x-api-key": key}).json().get("errors"))
                for _ in range(REQUESTS_PER_CHECK)]

    for when, expected in (("before", True), ("after", False)):
        if not expected:
            admin.call("ir.model.fields", "create", {
                "model_id": admin.call("ir.model", "search", [("model", "=", "res.partner")])[0],
                "name": "x_mw_note", "field_description": "Note", "ttype": "char"})
        for _proc, url, _log in servers:
            got = errors(url)
            answer = "unknown field" if expected else "served"
            checker.check(f"GraphQL {when} adding x_mw_note: {answer} on {url}",
                          all(error is expected for error in got), f"errors {got}")


def run_checks(checker, servers, setup):
    key = setup["key"]
    check_database_selection(checker, servers[2][1], key)
    servers = servers[:2]  # the two servers of the one database
    admin = Admin(servers[0][1])
    expect_everywhere(checker, servers, key, 200, "published")

    admin.call("api.api", "action_unpublish", [setup["api_id"]])
    expect_everywhere(checker, servers, key, 404, "unpublished")

    admin.call("api.api", "action_publish", [setup["api_id"]])
    expect_everywhere(checker, servers, key, 200, "republished")

    renamed = f"{ENDPOINT}-renamed"
    admin.call("api.api", "write", [setup["api_id"]], {"endpoint": renamed})
    expect_everywhere(checker, servers, key, 404, "old endpoint after renaming")
    expect_everywhere(checker, servers, key, 200, "new endpoint after renaming", renamed)
    admin.call("api.api", "write", [setup["api_id"]], {"endpoint": ENDPOINT})
    expect_everywhere(checker, servers, key, 200, "renamed back")

    admin.call("api.api", "action_cancel", [setup["api_id"]])
    expect_everywhere(checker, servers, key, 404, "cancelled")
    admin.call("api.api", "action_draft", [setup["api_id"]])
    admin.call("api.api", "action_publish", [setup["api_id"]])
    expect_everywhere(checker, servers, key, 200, "published again after cancel")
    check_graphql_schema(checker, servers, admin, setup["graphql_key"])

    # Each 401 counts as a failure towards the lock-out: stay below its threshold (10).
    admin.call("api.key", "action_revoke", [setup["key_id"]])
    for _proc, url, _log in servers:
        got = statuses(url, key, count=4)
        checker.check(
            f"revoked key: 401 on {url} ({len(got)} requests)",
            all(code == 401 for code in got),
            f"got {got}",
        )

    codes = []
    for attempt in range(30):
        url = servers[attempt % 2][1]
        codes.append(call_api(url, f"wrong-key-{attempt:04d}-0123456789").status_code)
        if codes[-1] == 429:
            break
    checker.check("repeated bad keys: 429 within 30 attempts", codes[-1] == 429, f"{codes}")
    for _proc, url, _log in servers:
        response = call_api(url, "another-wrong-key-0123456789")
        retry_after = response.headers.get("Retry-After", "")
        checker.check(
            f"throttled: 429 with Retry-After on {url}",
            response.status_code == 429 and retry_after.isdigit(),
            f"got {response.status_code}, Retry-After {retry_after!r}",
        )


def main():
    checker = Checker()
    logdir = tempfile.mkdtemp(prefix="api-multiworker-")
    print(f"multiworker: database {DB}, ports {PORT}-{PORT + 3}, logs in {logdir}", flush=True)
    args = odoo_args()
    setup = prepare(args, str(Path(logdir) / "setup.log"))
    create_other_database()
    servers = []
    try:
        start_servers(args, logdir, servers)
        run_checks(checker, servers, setup)
    except Exception as error:  # noqa: BLE001 - any error is a failed check, then cleanup
        checker.check("the check ran to its end", False, repr(error))
    finally:
        stop_servers(servers)
    if checker.failed:
        for name in sorted(os.listdir(logdir)):
            print(f"--- end of {name}")
            print((Path(logdir) / name).read_text()[-3000:])
    else:
        shutil.rmtree(logdir, ignore_errors=True)
    if os.environ.get("MW_KEEP_DB") != "1":
        drop_database()
    print(f"multiworker: {checker.passed} passed, {checker.failed} failed", flush=True)
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main())
