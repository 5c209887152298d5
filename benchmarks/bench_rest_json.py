"""Compare the request rate of the suite's protocols with Odoo's own JSON-RPC.

Not a test: it measures. Each scenario is a function returning a callable that sends one
request and checks its answer; a comparison pairs a scenario with its baseline. The default
comparison reads 80 partners with ``search_read``: REST-JSON authenticated by API key
against ``/web/dataset/call_kw`` in an Odoo web session, same database, user and fields.

    python3 benchmarks/bench_rest_json.py                    # starts its own server
    python3 benchmarks/bench_rest_json.py --url http://localhost:8069 --db api_demo \\
        --endpoint demo-rest --key KEY --login api_demo --password api_demo_pass_1234

Started by the script, the server runs threaded on its own database (t_infra_bench by
default, recreated) and its log gives the SQL queries per request of each path.
To add a comparison (e.g. JSON:API or GraphQL), write a ``scenario_*`` function and list
it in ``COMPARISONS``.
"""

import argparse
import json
import os
import re
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
BENCH_LOGIN = "bench_user"
BENCH_PASSWORD = "bench_user_pass_1234"
BENCH_ENDPOINT = "bench-rest"

SETUP_SCRIPT = """
import json
user = env["res.users"].with_context(no_reset_password=True).create({
    "name": "Benchmark user", "login": %(login)r, "password": %(password)r,
    "groups_id": [(6, 0, [env.ref("base.group_user").id,
                          env.ref("api_framework_base.group_api_user").id])],
})
country = env.ref("base.be")
env["res.partner"].create([{
    "name": f"Benchmark partner {index:03d}", "email": f"partner{index}@example.com",
    "phone": "+32 2 555 00 %%02d" %% (index %% 100), "city": "Brussels",
    "country_id": country.id, "is_company": index %% 3 == 0,
} for index in range(120)])
api = env["api.api"].create({
    "name": "Benchmark", "endpoint": %(endpoint)r, "protocol": "rest_json",
    "auth_type": "apikey", "user_ids": [(6, 0, user.ids)],
})
api.action_publish()
key = env["api.key"]._generate(api, user, "benchmark")
env.cr.commit()
print("BENCH-SETUP " + json.dumps({"key": key}))
"""


# ----------------------------------------------------------------------
# Scenarios: each returns a function that sends one request and checks the answer.
# ----------------------------------------------------------------------


def scenario_rest_json_search_read(ctx):
    """REST-JSON ``search_read`` of 80 partners, API key in the ``x-api-key`` header."""
    session = requests.Session()
    session.headers["x-api-key"] = ctx.key
    url = f"{ctx.url}/{ctx.endpoint}/res.partner/search_read"
    body = json.dumps({"args": [[]], "kwargs": {"fields": FIELDS, "limit": LIMIT, "order": "id"}})
    headers = {"Content-Type": "application/json"}

    def call():
        response = session.post(url, data=body, headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        assert len(response.json()["result"]) == LIMIT, response.text[:200]

    return call


def scenario_jsonrpc_search_read(ctx):
    """Odoo's own ``/web/dataset/call_kw`` ``search_read`` in a web session."""
    session = requests.Session()
    auth = session.post(
        f"{ctx.url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"db": ctx.db, "login": ctx.login, "password": ctx.password},
        },
        timeout=TIMEOUT,
    )
    auth.raise_for_status()
    if "error" in auth.json():
        raise SystemExit(f"JSON-RPC login failed: {auth.json()['error']}")
    url = f"{ctx.url}/web/dataset/call_kw/res.partner/search_read"
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": "res.partner",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": FIELDS, "limit": LIMIT, "order": "id"},
            },
        }
    )
    headers = {"Content-Type": "application/json"}

    def call():
        response = session.post(url, data=body, headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        assert len(response.json()["result"]) == LIMIT, response.text[:200]

    return call


# (name, scenario, baseline scenario, path fragment of each in the server log, where
# "{endpoint}" stands for the API's endpoint)
COMPARISONS = [
    (
        "REST-JSON search_read 80 partners (API key) vs JSON-RPC call_kw (session)",
        scenario_rest_json_search_read,
        scenario_jsonrpc_search_read,
        ("/{endpoint}/res.partner/search_read", "/web/dataset/call_kw/"),
    ),
]
TARGET_RATIO = 0.95


def measure(call, seconds):
    """Return the rate (requests per second) of ``call`` repeated for ``seconds``."""
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        call()
        count += 1
    return count / (time.perf_counter() - started)


def compare(ctx, scenario, baseline, rounds, seconds, warmup=20):
    """Measure both scenarios in alternating rounds; return their median rates."""
    calls = (scenario(ctx), baseline(ctx))
    for call in calls:
        for _ in range(warmup):
            call()
    rates = ([], [])
    for _ in range(rounds):
        for index, call in enumerate(calls):
            rates[index].append(measure(call, seconds))
    return statistics.median(rates[0]), statistics.median(rates[1])


# ----------------------------------------------------------------------
# A server of our own
# ----------------------------------------------------------------------


def odoo_args():
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
    with open(log, "a") as handle:
        result = subprocess.run(
            cmd, stdout=subprocess.PIPE, stderr=handle, text=True, input=stdin, timeout=1200
        )
    if result.returncode:
        print(Path(log).read_text()[-4000:], file=sys.stderr)
        raise SystemExit(f"{' '.join(cmd[:4])}... failed; see {log}")
    return result.stdout


def prepare_database(args, db, log):
    """Recreate ``db`` with the REST-JSON addons, 120 partners, a user, an API and a key."""
    import psycopg2

    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    conn.close()
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
            "api_framework_base,api_auth_apikey,api_rest_json",
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
        stdin=SETUP_SCRIPT
        % {"login": BENCH_LOGIN, "password": BENCH_PASSWORD, "endpoint": BENCH_ENDPOINT},
    )
    line = next(line for line in out.splitlines() if line.startswith("BENCH-SETUP "))
    return json.loads(line.split(" ", 1)[1])["key"]


def start_server(args, db, port, log_path, workers, dbfilter=False, log_sql=False):
    """Start a server on ``db``. With ``-d`` alone, Odoo serves that database without
    listing the databases of PostgreSQL; ``--db-filter`` makes every request without a
    session list them (a query on a new connection to the ``postgres`` database)."""
    python = os.environ.get("PYTHON", "python3")
    log = open(log_path, "w")  # noqa: SIM115 - closed by stop_server
    extra = [f"--db-filter=^{db}$"] if dbfilter else []
    if log_sql:
        extra.append("--log-handler=odoo.sql_db:DEBUG")
    proc = subprocess.Popen(
        [
            python,
            "-m",
            "odoo",
            *args,
            "-d",
            db,
            *extra,
            f"--http-port={port}",
            f"--gevent-port={port + 1}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=info",
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


# Odoo's werkzeug log lines end with: query count, query time, remaining time.
LOG_LINE = re.compile(r'"(?:GET|POST) (\S+) HTTP/[0-9.]+" (\d{3}) - (\d+) ([0-9.]+) ([0-9.]+)')


def show_queries(ctx, log_path):
    """Call each scenario a few times, then print the queries of its last request."""
    for _name, scenario, baseline, fragments in COMPARISONS:
        for function, fragment in zip((scenario, baseline), fragments, strict=True):
            fragment = fragment.format(endpoint=ctx.endpoint)
            call = function(ctx)
            for _ in range(3):
                call()
            time.sleep(0.5)
            blocks = re.split(r"^.*werkzeug: .*$", Path(log_path).read_text(), flags=re.M)
            lines = Path(log_path).read_text().splitlines()
            requests_logged = [line for line in lines if "werkzeug:" in line]
            last = max(i for i, line in enumerate(requests_logged) if fragment in line)
            print(f"{function.__name__}: {requests_logged[last].split('] ', 1)[-1]}")
            for query in re.findall(
                r"\[[0-9.]+ ms\] query: (.*(?:\n(?!\d{4}-|SUM ).*)*)", blocks[last]
            ):
                print("   ", " ".join(query.split())[:150])


def queries_per_request(log_path, fragment):
    """Return (median queries, median SQL seconds, median other seconds) of ``fragment``."""
    rows = [
        (int(m[3]), float(m[4]), float(m[5]))
        for m in LOG_LINE.finditer(Path(log_path).read_text())
        if fragment in m[1] and m[2] == "200"
    ]
    if not rows:
        return None
    return tuple(statistics.median(column) for column in zip(*rows, strict=True))


class Context(argparse.Namespace):
    """Where and as whom the scenarios call: url, db, endpoint, key, login, password."""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server; without it, start one")
    parser.add_argument("--db", default="t_infra_bench")
    parser.add_argument("--endpoint", default=BENCH_ENDPOINT)
    parser.add_argument("--key", help="API key of the REST-JSON API (with --url)")
    parser.add_argument("--login", default=BENCH_LOGIN)
    parser.add_argument("--password", default=BENCH_PASSWORD)
    parser.add_argument("--port", type=int, default=8228, help="port of the server started")
    parser.add_argument("--workers", type=int, default=0, help="workers of the server started")
    parser.add_argument(
        "--dbfilter", action="store_true", help="start the server with --db-filter as well as -d"
    )
    parser.add_argument(
        "--show-queries",
        action="store_true",
        help="instead of measuring, print the SQL queries of one request of "
        "each scenario (starts its own server)",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0, help="per round and scenario")
    return parser.parse_args(namespace=Context())


def main():
    ctx = parse_args()
    server = None
    log_path = None
    if not ctx.url:
        args = odoo_args()
        logdir = tempfile.mkdtemp(prefix="api-bench-")
        print(f"Preparing the database {ctx.db} (logs in {logdir})", flush=True)
        ctx.key = prepare_database(args, ctx.db, f"{logdir}/setup.log")
        log_path = f"{logdir}/server.log"
        server = start_server(
            args,
            ctx.db,
            ctx.port,
            log_path,
            ctx.workers,
            dbfilter=ctx.dbfilter,
            log_sql=ctx.show_queries,
        )
        ctx.url = server[2]
    elif not ctx.key:
        raise SystemExit("--key is required with --url")
    try:
        if ctx.show_queries:
            if not log_path:
                raise SystemExit("--show-queries starts its own server: leave --url out")
            show_queries(ctx, log_path)
            return 0
        for name, scenario, baseline, fragments in COMPARISONS:
            rate, base_rate = compare(ctx, scenario, baseline, ctx.rounds, ctx.seconds)
            ratio = rate / base_rate
            print(
                f"{name}\n  {scenario.__name__}: {rate:.1f} req/s\n"
                f"  {baseline.__name__}: {base_rate:.1f} req/s\n"
                f"  ratio: {ratio:.3f} (target >= {TARGET_RATIO})",
                flush=True,
            )
            if log_path:
                for label, fragment in zip(("api", "baseline"), fragments, strict=True):
                    stats = queries_per_request(log_path, fragment.format(endpoint=ctx.endpoint))
                    if stats:
                        print(
                            f"  {label} per request (median): {stats[0]:.0f} queries, "
                            f"{stats[1] * 1000:.2f} ms in SQL, "
                            f"{stats[2] * 1000:.2f} ms in Python"
                        )
    finally:
        if server:
            stop_server(server[0], server[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
