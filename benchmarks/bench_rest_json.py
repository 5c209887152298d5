"""Compare the request rate of the suite's protocols with Odoo's own JSON-RPC.

Not a test: it measures. Each scenario is a function returning a callable that sends one
request and checks its answer; a comparison pairs a scenario with its baseline and a target
ratio. All of them read 80 partners as the same user, with the same fields, against
``/web/dataset/call_kw`` in an Odoo web session on the same database:

- REST-JSON ``search_read`` (API key) vs JSON-RPC ``search_read`` (target 0.95);
- a JSON:API collection read vs JSON-RPC ``search_read`` (target 0.9);
- the same JSON:API read with ``include=country_id`` vs JSON-RPC ``search_read`` plus a
  ``read`` of the countries (two calls per iteration, target 0.8).

The JSON:API comparisons run when the database has a JSON:API API (``api_json``
installed): the database the script prepares has one, with its own key.

    python3 benchmarks/bench_rest_json.py                    # starts its own server
    python3 benchmarks/bench_rest_json.py --url http://localhost:8069 --db api_demo \\
        --endpoint demo-rest --key KEY --login api_demo --password api_demo_pass_1234 \\
        [--jsonapi-endpoint demo-jsonapi --jsonapi-key KEY2]

Started by the script, the server runs threaded on its own database (t_infra_bench by
default, recreated) and its log gives the SQL queries per request of each path.
To add a comparison, write a ``scenario_*`` function and list it in ``COMPARISONS``.
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
from urllib.parse import unquote

import requests

REPO = Path(__file__).resolve().parent.parent
FIELDS = ["name", "email", "phone", "city", "country_id", "is_company", "write_date"]
LIMIT = 80
TIMEOUT = 30
BENCH_LOGIN = "bench_user"
BENCH_PASSWORD = "bench_user_pass_1234"
BENCH_ENDPOINT = "bench-rest"
BENCH_JSONAPI_ENDPOINT = "bench-jsonapi"
COUNTRY_FIELDS = ["name", "code"]

SETUP_SCRIPT = """
import json
user = env["res.users"].with_context(no_reset_password=True).create({
    "name": "Benchmark user", "login": %(login)r, "password": %(password)r,
    "groups_id": [(6, 0, [env.ref("base.group_user").id,
                          env.ref("api_framework_base.group_api_user").id])],
})
countries = env["res.country"].search([], order="id", limit=10)
env["res.partner"].create([{
    "name": f"Benchmark partner {index:03d}", "email": f"partner{index}@example.com",
    "phone": "+32 2 555 00 %%02d" %% (index %% 100), "city": "Brussels",
    "country_id": countries[index %% 10].id, "is_company": index %% 3 == 0,
} for index in range(120)])
api = env["api.api"].create({
    "name": "Benchmark", "endpoint": %(endpoint)r, "protocol": "rest_json",
    "auth_type": "apikey", "user_ids": [(6, 0, user.ids)],
})
api.action_publish()
result = {"key": env["api.key"]._generate(api, user, "benchmark")}
protocols = dict(env["api.api"]._fields["protocol"].selection)
if "jsonapi" in protocols:
    jsonapi = env["api.api"].create({
        "name": "Benchmark JSON:API", "endpoint": %(jsonapi_endpoint)r, "protocol": "jsonapi",
        "auth_type": "apikey", "user_ids": [(6, 0, user.ids)],
    })
    jsonapi.action_publish()
    result["jsonapi_key"] = env["api.key"]._generate(jsonapi, user, "benchmark")
env.cr.commit()
print("BENCH-SETUP " + json.dumps(result))
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


def _jsonapi_collection(ctx, params):
    """Return a function that GETs the JSON:API partner collection with ``params``."""
    session = requests.Session()
    session.headers["x-api-key"] = ctx.jsonapi_key
    session.headers["Accept"] = "application/vnd.api+json"
    url = f"{ctx.url}/{ctx.jsonapi_endpoint}/res.partner"
    query = {
        "fields[res.partner]": ",".join(FIELDS),
        "page[size]": str(LIMIT),
        "sort": "id",
        **params,
    }
    prepared = requests.Request("GET", url, params=query).prepare().url

    def call():
        response = session.get(prepared, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
        assert len(document["data"]) == LIMIT, response.text[:200]
        return document

    return call


def scenario_jsonapi_collection(ctx):
    """JSON:API ``GET /res.partner`` of 80 partners with a sparse fieldset, API key."""
    return _jsonapi_collection(ctx, {})


def scenario_jsonapi_collection_include(ctx):
    """The same JSON:API read, with ``include=country_id`` (name and code)."""
    get = _jsonapi_collection(
        ctx, {"include": "country_id", "fields[res.country]": ",".join(COUNTRY_FIELDS)}
    )

    def call():
        assert get()["included"]

    return call


def _jsonrpc_session(ctx):
    """Log in to Odoo's web client; return a function calling ``call_kw``."""
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
    headers = {"Content-Type": "application/json"}

    def call_kw(model, method, args, kwargs):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
            }
        )
        url = f"{ctx.url}/web/dataset/call_kw/{model}/{method}"
        response = session.post(url, data=body, headers=headers, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
        assert "result" in document, response.text[:200]
        return document["result"]

    return call_kw


def scenario_jsonrpc_search_read(ctx):
    """Odoo's own ``/web/dataset/call_kw`` ``search_read`` in a web session."""
    call_kw = _jsonrpc_session(ctx)
    kwargs = {"fields": FIELDS, "limit": LIMIT, "order": "id"}

    def call():
        assert len(call_kw("res.partner", "search_read", [[]], kwargs)) == LIMIT

    return call


def scenario_jsonrpc_search_read_read(ctx):
    """JSON-RPC ``search_read`` of the partners, then ``read`` of their countries."""
    call_kw = _jsonrpc_session(ctx)
    kwargs = {"fields": FIELDS, "limit": LIMIT, "order": "id"}

    def call():
        partners = call_kw("res.partner", "search_read", [[]], kwargs)
        assert len(partners) == LIMIT
        ids = sorted({row["country_id"][0] for row in partners if row["country_id"]})
        assert call_kw("res.country", "read", [ids], {"fields": COUNTRY_FIELDS})

    return call


# (name, scenario, baseline scenario, (API paths, baseline paths), target ratio). The paths
# are regular expressions matched against the request paths (query string included) of the
# server log, one per request an iteration sends; "<endpoint>" and "<jsonapi_endpoint>"
# stand for the APIs' endpoints.
RPC_SEARCH_READ = r"^/web/dataset/call_kw/res\.partner/search_read$"
RPC_READ = r"^/web/dataset/call_kw/res\.country/read$"
COMPARISONS = [
    (
        "REST-JSON search_read 80 partners (API key) vs JSON-RPC call_kw (session)",
        scenario_rest_json_search_read,
        scenario_jsonrpc_search_read,
        ((r"^/<endpoint>/res\.partner/search_read$",), (RPC_SEARCH_READ,)),
        0.95,
    ),
    (
        "JSON:API collection of 80 partners (API key) vs JSON-RPC search_read (session)",
        scenario_jsonapi_collection,
        scenario_jsonrpc_search_read,
        ((r"^/<jsonapi_endpoint>/res\.partner\?(?!.*include=)",), (RPC_SEARCH_READ,)),
        0.9,
    ),
    (
        "JSON:API 80 partners include=country_id vs JSON-RPC search_read + read (2 calls)",
        scenario_jsonapi_collection_include,
        scenario_jsonrpc_search_read_read,
        ((r"^/<jsonapi_endpoint>/res\.partner\?.*include=",), (RPC_SEARCH_READ, RPC_READ)),
        0.8,
    ),
]
JSONAPI_SCENARIOS = (scenario_jsonapi_collection, scenario_jsonapi_collection_include)


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
    """Recreate ``db`` with the REST-JSON and JSON:API addons, 120 partners with countries,
    a user, an API of each protocol and their keys; return ``{"key", "jsonapi_key"}``."""
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
            "api_framework_base,api_auth_apikey,api_rest_json,api_json",
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
        % {
            "login": BENCH_LOGIN,
            "password": BENCH_PASSWORD,
            "endpoint": BENCH_ENDPOINT,
            "jsonapi_endpoint": BENCH_JSONAPI_ENDPOINT,
        },
    )
    line = next(line for line in out.splitlines() if line.startswith("BENCH-SETUP "))
    return json.loads(line.split(" ", 1)[1])


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


def path_pattern(ctx, pattern):
    """Return the compiled ``pattern`` of a comparison, with the endpoints filled in."""
    pattern = pattern.replace("<endpoint>", re.escape(ctx.endpoint))
    return re.compile(pattern.replace("<jsonapi_endpoint>", re.escape(ctx.jsonapi_endpoint)))


def logged_path(line):
    """Return the request path (with its query string) of a werkzeug log line."""
    match = re.search(r'"[A-Z]+ (\S+) HTTP/', line)
    return unquote(match[1]) if match else ""


def show_queries(ctx, log_path):
    """Call each scenario a few times, then print the queries of its last requests."""
    for _name, scenario, baseline, paths, _target in comparisons(ctx):
        for function, patterns in zip((scenario, baseline), paths, strict=True):
            call = function(ctx)
            for _ in range(3):
                call()
            time.sleep(0.5)
            text = Path(log_path).read_text()
            blocks = re.split(r"^.*werkzeug: .*$", text, flags=re.M)
            requests_logged = [line for line in text.splitlines() if "werkzeug:" in line]
            print(f"{function.__name__}:")
            for pattern in patterns:
                regex = path_pattern(ctx, pattern)
                last = max(
                    i for i, line in enumerate(requests_logged) if regex.search(logged_path(line))
                )
                print(f"  {requests_logged[last].split('] ', 1)[-1]}")
                for query in re.findall(
                    r"\[[0-9.]+ ms\] query: (.*(?:\n(?!\d{4}-|SUM ).*)*)", blocks[last]
                ):
                    print("   ", " ".join(query.split())[:150])


def queries_per_request(log_path, regex):
    """Return (median queries, median SQL seconds, median other seconds) of the requests
    whose path matches ``regex``."""
    rows = [
        (int(m[3]), float(m[4]), float(m[5]))
        for m in LOG_LINE.finditer(Path(log_path).read_text())
        if regex.search(unquote(m[1])) and m[2] == "200"
    ]
    if not rows:
        return None
    return tuple(statistics.median(column) for column in zip(*rows, strict=True))


def print_queries(ctx, log_path, paths):
    """Print the median queries and times per iteration of both sides of a comparison."""
    for label, patterns in zip(("api", "baseline"), paths, strict=True):
        stats = [queries_per_request(log_path, path_pattern(ctx, p)) for p in patterns]
        if None in stats:
            continue
        queries, sql, other = (sum(column) for column in zip(*stats, strict=True))
        calls = f" ({len(stats)} requests)" if len(stats) > 1 else ""
        print(
            f"  {label} per iteration{calls} (medians): {queries:.0f} queries, "
            f"{sql * 1000:.2f} ms in SQL, {other * 1000:.2f} ms in Python"
        )


def comparisons(ctx):
    """Return the comparisons the target database can run."""
    if ctx.jsonapi_key:
        return COMPARISONS
    return [c for c in COMPARISONS if c[1] not in JSONAPI_SCENARIOS]


class Context(argparse.Namespace):
    """Where and as whom the scenarios call: url, db, endpoint, key, jsonapi_endpoint,
    jsonapi_key, login, password."""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server; without it, start one")
    parser.add_argument("--db", default="t_infra_bench")
    parser.add_argument("--endpoint", default=BENCH_ENDPOINT)
    parser.add_argument("--key", help="API key of the REST-JSON API (with --url)")
    parser.add_argument("--jsonapi-endpoint", default=BENCH_JSONAPI_ENDPOINT)
    parser.add_argument(
        "--jsonapi-key",
        help="API key of the JSON:API API (with --url; without it, no JSON:API comparison)",
    )
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
        keys = prepare_database(args, ctx.db, f"{logdir}/setup.log")
        ctx.key, ctx.jsonapi_key = keys["key"], keys.get("jsonapi_key")
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
        if not ctx.jsonapi_key:
            print("No JSON:API key: the JSON:API comparisons are left out.", flush=True)
        for name, scenario, baseline, paths, target in comparisons(ctx):
            rate, base_rate = compare(ctx, scenario, baseline, ctx.rounds, ctx.seconds)
            ratio = rate / base_rate
            print(
                f"{name}\n  {scenario.__name__}: {rate:.1f} iterations/s\n"
                f"  {baseline.__name__}: {base_rate:.1f} iterations/s\n"
                f"  ratio: {ratio:.3f} (target >= {target}): "
                f"{'met' if ratio >= target else 'MISSED'}",
                flush=True,
            )
            if log_path:
                print_queries(ctx, log_path, paths)
    finally:
        if server:
            stop_server(server[0], server[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
