"""Compare the GraphQL G01 query with Odoo's own JSON-RPC reads of the same data, and
measure how long the GraphQL schema takes to build and to fetch once cached (the schema
as served to a caller: per API and set of the caller's groups).

Not a test: it measures. G01 reads 6 companies with their country (name, code) and their
parent (name). The baselines read the same data through ``/web/dataset/call_kw`` in an
Odoo web session: ``search_read`` then ``read`` of the countries and of the parents (three
calls, the way an RPC client does it), and, for information, ``web_search_read`` with a
nested specification (one call).

    python3 benchmarks/bench_graphql.py
    python3 benchmarks/bench_graphql.py --apps sale_management,crm,stock   # bigger schema

The script recreates its database (t_graphql_bench by default) and starts a threaded
server of its own on it; the target is a GraphQL rate of at least 0.8 times the
search_read + read baseline.
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
TIMEOUT = 30
LOGIN = "gql_bench_user"
PASSWORD = "gql_bench_pass_1234"
ENDPOINT = "bench-graphql"
TARGET_RATIO = 0.8
G01 = """query Q($offset: Int, $limit: Int, $order: String, $domain: [[Any]]) {
  ResPartner(offset: $offset, limit: $limit, order: $order, domain: $domain) {
    id name email is_company country_id { name code } parent_id { name } } }"""
G01_VARIABLES = {"offset": 0, "limit": 6, "order": "name, id desc",
                 "domain": [["is_company", "=", True]]}
DOMAIN = [["is_company", "=", True]]

SETUP_SCRIPT = """
import json, time
user = env["res.users"].with_context(no_reset_password=True).create({
    "name": "GraphQL benchmark user", "login": %(login)r, "password": %(password)r,
    "groups_id": [(6, 0, [env.ref("base.group_user").id,
                          env.ref("api_framework_base.group_api_user").id])],
})
countries = env["res.country"].search([], limit=20)
parents = env["res.partner"].create([{"name": f"Bench group {i}", "is_company": True}
                                     for i in range(10)])
env["res.partner"].create([{
    "name": f"Bench company {i:03d}", "email": f"c{i}@example.com", "is_company": True,
    "country_id": countries[i %% 20].id, "parent_id": parents[i %% 10].id,
} for i in range(120)])
api = env["api.api"].create({
    "name": "GraphQL benchmark", "endpoint": %(endpoint)r, "protocol": "graphql",
    "auth_type": "apikey", "user_ids": [(6, 0, user.ids)],
})
api.action_publish()
every = env["api.api"].create({
    "name": "Every model", "endpoint": "bench-graphql-all", "protocol": "graphql",
    "auth_type": "apikey", "access_mode": "sudo",
    "user_ids": [(6, 0, env.ref("base.user_admin").ids)],
})
timings = {}
# the schema as served: per API and set of the caller's groups
for label, record, caller in (("user mode", api, user),
                              ("every model", every, env.ref("base.user_admin"))):
    env.registry.clear_cache()
    started = time.perf_counter()
    schema = record._api_graphql_schema(caller)
    built = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(1000):
        record._api_graphql_schema(caller)
    cached = (time.perf_counter() - started) / 1000
    models = sum(1 for name in schema.query_type.fields if name.endswith("Count"))
    timings[label] = [models, built, cached]
key = env["api.key"]._generate(api, user, "benchmark")
env.cr.commit()
print("BENCH-SETUP " + json.dumps({"key": key, "timings": timings}))
"""


def scenario_graphql(ctx):
    session = requests.Session()
    session.headers.update({"x-api-key": ctx.key, "Content-Type": "application/json"})
    body = json.dumps({"query": G01, "variables": G01_VARIABLES})
    url = f"{ctx.url}/{ENDPOINT}"

    def call():
        response = session.post(url, data=body, timeout=TIMEOUT)
        response.raise_for_status()
        payload = response.json()
        assert "errors" not in payload and len(payload["data"]["ResPartner"]) == 6, payload

    return call


def _rpc_session(ctx):
    session = requests.Session()
    auth = session.post(f"{ctx.url}/web/session/authenticate", json={
        "jsonrpc": "2.0", "method": "call", "id": 1,
        "params": {"db": ctx.db, "login": LOGIN, "password": PASSWORD}}, timeout=TIMEOUT)
    auth.raise_for_status()
    if "error" in auth.json():
        raise SystemExit(f"JSON-RPC login failed: {auth.json()['error']}")

    def call_kw(model, method, args, kwargs):
        response = session.post(f"{ctx.url}/web/dataset/call_kw/{model}/{method}", json={
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs}},
            timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()["result"]

    return call_kw


def scenario_jsonrpc_search_read_read(ctx):
    call_kw = _rpc_session(ctx)

    def call():
        rows = call_kw("res.partner", "search_read", [DOMAIN], {
            "fields": ["name", "email", "is_company", "country_id", "parent_id"],
            "offset": 0, "limit": 6, "order": "name, id desc"})
        countries = {row["country_id"][0] for row in rows if row["country_id"]}
        parents = {row["parent_id"][0] for row in rows if row["parent_id"]}
        call_kw("res.country", "read", [sorted(countries)], {"fields": ["name", "code"]})
        call_kw("res.partner", "read", [sorted(parents)], {"fields": ["name"]})
        assert len(rows) == 6

    return call


def scenario_jsonrpc_web_search_read(ctx):
    call_kw = _rpc_session(ctx)
    specification = {"name": {}, "email": {}, "is_company": {},
                     "country_id": {"fields": {"name": {}, "code": {}}},
                     "parent_id": {"fields": {"name": {}}}}

    def call():
        result = call_kw("res.partner", "web_search_read", [], {
            "domain": DOMAIN, "specification": specification, "offset": 0, "limit": 6,
            "order": "name, id desc", "count_limit": 7})
        assert len(result["records"]) == 6

    return call


def measure(call, seconds):
    count, started = 0, time.perf_counter()
    while time.perf_counter() < started + seconds:
        call()
        count += 1
    return count / (time.perf_counter() - started)


def compare(ctx, scenarios, rounds, seconds):
    """Measure the scenarios in alternating rounds; return their median rates."""
    calls = [scenario(ctx) for scenario in scenarios]
    for call in calls:
        for _ in range(20):
            call()
    rates = [[] for _ in calls]
    for _ in range(rounds):
        for index, call in enumerate(calls):
            rates[index].append(measure(call, seconds))
    return [statistics.median(column) for column in rates]


def odoo_args():
    script = 'source "$1/bin/_env.sh" && printf "%s\\n" "${ODOO_ARGS[@]}"'
    out = subprocess.run(["bash", "-c", script, "bash", str(REPO)], check=True,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return [line for line in out.stdout.splitlines() if line]


def run(cmd, log, stdin=None):
    with open(log, "a") as handle:
        result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=handle, text=True,
                                input=stdin, timeout=3600)
    if result.returncode:
        print(Path(log).read_text()[-4000:], file=sys.stderr)
        raise SystemExit(f"{' '.join(cmd[:4])}... failed; see {log}")
    return result.stdout


def prepare_database(ctx, args, log):
    import psycopg2

    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{ctx.db}" WITH (FORCE)')
    conn.close()
    python = os.environ.get("PYTHON", "python3")
    addons = ",".join(filter(None, ["api_auth_apikey,api_graphql", ctx.apps]))
    run([python, "-m", "odoo", *args, "-d", ctx.db, "-i", addons, "--without-demo=all",
         "--stop-after-init", "--max-cron-threads=0", "--log-level=warn"], log)
    out = run([python, "-m", "odoo", "shell", *args, "-d", ctx.db, "--no-http",
               "--log-level=warn"], log,
              stdin=SETUP_SCRIPT % {"login": LOGIN, "password": PASSWORD,
                                    "endpoint": ENDPOINT})
    line = next(line for line in out.splitlines() if line.startswith("BENCH-SETUP "))
    return json.loads(line.split(" ", 1)[1])


def start_server(ctx, args, log_path):
    python = os.environ.get("PYTHON", "python3")
    log = open(log_path, "w")  # noqa: SIM115 - closed by stop_server
    proc = subprocess.Popen(
        [python, "-m", "odoo", *args, "-d", ctx.db, f"--http-port={ctx.port}",
         f"--gevent-port={ctx.port + 1}", "--workers=0", "--max-cron-threads=0",
         "--log-level=warn"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
    url = f"http://127.0.0.1:{ctx.port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited; see {log_path}")
        try:
            if requests.get(f"{url}/web/health", timeout=5).status_code == 200:
                return proc, log, url
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_server(proc, log)
    raise SystemExit(f"the server did not answer within 120s; see {log_path}")


def stop_server(proc, log):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="t_graphql_bench")
    parser.add_argument("--port", type=int, default=8244)
    parser.add_argument("--apps", default="", help="Odoo apps to install too, comma separated")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="per round and scenario")
    ctx = parser.parse_args()
    args = odoo_args()
    logdir = tempfile.mkdtemp(prefix="api-bench-graphql-")
    print(f"Preparing the database {ctx.db} (logs in {logdir})", flush=True)
    setup = prepare_database(ctx, args, f"{logdir}/setup.log")
    ctx.key = setup["key"]
    for label, (models, built, cached) in setup["timings"].items():
        print(f"schema, {label}: {models} models, built in {built * 1000:.0f} ms, "
              f"{cached * 1e6:.1f} us once cached")
    proc, log, ctx.url = start_server(ctx, args, f"{logdir}/server.log")
    try:
        graphql, rpc, web = compare(ctx, [scenario_graphql, scenario_jsonrpc_search_read_read,
                                          scenario_jsonrpc_web_search_read],
                                    ctx.rounds, ctx.seconds)
    finally:
        stop_server(proc, log)
    print(f"G01 over GraphQL (API key): {graphql:.1f} req/s")
    print(f"JSON-RPC search_read + 2 read (session): {rpc:.1f} req/s")
    print(f"JSON-RPC web_search_read with specification (session): {web:.1f} req/s")
    print(f"ratio GraphQL / search_read + read: {graphql / rpc:.2f} (target >= {TARGET_RATIO})")
    print(f"ratio GraphQL / web_search_read: {graphql / web:.2f} (for information)")
    return 0 if graphql / rpc >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
