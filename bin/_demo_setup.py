"""Create the demo users, APIs and keys of ``bin/demo``, then print how to call them.

Run by ``python3 -m odoo shell -d <db> < bin/_demo_setup.py``: Odoo's shell executes its
standard input with ``env`` bound to a superuser environment. Every run is idempotent: the
users and APIs are found by login and endpoint and updated, the previous demo API keys are
revoked and fresh ones generated, so the keys printed are the only ones that work.

Environment: ``API_DEMO_URL`` (base URL printed, default http://localhost:8069).
"""

import os
import shlex

BASE_URL = os.environ.get("API_DEMO_URL", "http://localhost:8069").rstrip("/")
DEMO_KEY_NAME = "Demo key (bin/demo)"
# The shell variables the README's curl examples use for each demo API's key.
KEY_VARIABLES = {"demo-rest": "API_KEY", "demo-jsonapi": "JSONAPI_KEY",
                 "demo-graphql": "GRAPHQL_KEY"}
USERS = {
    # login: (name, password, groups)
    "api_demo": (
        "API Demo User",
        "api_demo_pass_1234",
        # exporting data is a right of its own in Odoo: the demo caller may export
        ["base.group_user", "base.group_partner_manager", "base.group_allow_export",
         "api_framework_base.group_api_user"],
    ),
    "api_demo_manager": (
        "API Demo Manager",
        "api_demo_manager_pass_1234",
        ["base.group_user", "api_framework_base.group_api_manager"],
    ),
}
CALLER = "api_demo"


def ensure_user(env, login, name, password, groups):
    """Find or create the user ``login`` and set its groups and password."""
    users = env["res.users"].with_context(active_test=False, no_reset_password=True)
    user = users.search([("login", "=", login)], limit=1)
    values = {
        "name": name,
        "login": login,
        "active": True,
        "groups_id": [(4, env.ref(group).id) for group in groups],
    }
    if user:
        user.write(values)
    else:
        user = users.create(values)
    user.password = password
    return user


def find_key(selection, *words, exclude=()):
    """Return the first selection value whose key contains every word in ``words``."""
    for key in selection:
        if key not in exclude and all(word in key for word in words):
            return key
    return None


def plan_apis(protocols, auth_types):
    """Return ``[(endpoint, name, protocol, auth_type)]`` for the installed addons."""
    plan = []
    default_auth = "apikey" if "apikey" in auth_types else auth_types[0]
    default_protocol = "rest_json" if "rest_json" in protocols else protocols[0]
    covered_protocols = {default_protocol}
    covered_auths = {default_auth}
    plan.append(("demo-rest", "Demo REST-JSON", default_protocol, default_auth))
    for words, endpoint, name in (
        (("json", "api"), "demo-jsonapi", "Demo JSON:API"),
        (("graphql",), "demo-graphql", "Demo GraphQL"),
    ):
        protocol = find_key(protocols, *words, exclude=covered_protocols)
        if protocol:
            covered_protocols.add(protocol)
            plan.append((endpoint, name, protocol, default_auth))
    for words, endpoint, name in (
        (("basic",), "demo-basic", "Demo Basic auth"),
        (("user",), "demo-user", "Demo user header"),
    ):
        auth_type = find_key(auth_types, *words, exclude=covered_auths)
        if auth_type:
            covered_auths.add(auth_type)
            plan.append((endpoint, name, default_protocol, auth_type))
    # Whatever else is installed gets an API of its own, so that every type can be tried.
    for protocol in protocols:
        if protocol not in covered_protocols:
            plan.append(
                (f"demo-{protocol.replace('_', '-')}", f"Demo {protocol}", protocol, default_auth)
            )
    for auth_type in auth_types:
        if auth_type not in covered_auths:
            plan.append(
                (
                    f"demo-{auth_type.replace('_', '-')}",
                    f"Demo {auth_type} auth",
                    default_protocol,
                    auth_type,
                )
            )
    return plan


def ensure_api(env, endpoint, name, protocol, auth_type, user):
    """Find or create the API at ``endpoint`` and publish it."""
    apis = env["api.api"].with_context(active_test=False)
    api = apis.search([("endpoint", "=", endpoint)], limit=1)
    values = {
        "name": name,
        "endpoint": endpoint,
        "protocol": protocol,
        "auth_type": auth_type,
        "access_mode": "user",
        "active": True,
        "user_ids": [(4, user.id)],
        "description": "Created by bin/demo: calls run as the demo user, with Odoo's access "
        "rights and record rules.",
    }
    if api:
        api.write(values)
    else:
        api = apis.create(values)
    if api.state != "published":
        api.action_publish()
    return api


def renew_key(env, api, user):
    """Revoke the previous demo keys of ``api`` and return a fresh one, in clear."""
    keys = env["api.key"].search([("api_id", "=", api.id), ("name", "=", DEMO_KEY_NAME)])
    if keys:
        keys.action_revoke()
    return env["api.key"]._generate(api, user, DEMO_KEY_NAME)


def curl(method, url, headers=(), body=None, user=None):
    """Return one curl command line, quoted for a POSIX shell."""
    parts = ["curl", "-s"]
    if method != "GET":
        parts += ["-X", method]
    if user:
        parts += ["-u", user]
    for header in headers:
        parts += ["-H", header]
    if body is not None:
        parts += ["-H", "Content-Type: application/json", "-d", body]
    parts.append(url)
    return " ".join(shlex.quote(part) for part in parts)


def credentials(api, key):
    """Return ``(headers, curl user)`` authenticating the demo user on ``api``."""
    if api.auth_type == "apikey":
        return [f"x-api-key: {key}"], None
    password = USERS[CALLER][1]
    if "basic" in api.auth_type:
        return [], f"{CALLER}:{password}"
    if api.auth_type == "user_password":
        return [f"username: {CALLER}", f"password: {password}"], None
    return None, None


def examples(api, headers, user):
    """Return ``[(title, curl line)]`` for ``api``."""
    url = f"{BASE_URL}/{api.endpoint}"
    if api.protocol == "rest_json":
        return [
            ("describe the API", curl("GET", url, headers, user=user)),
            (
                "read 5 partners",
                curl(
                    "POST",
                    f"{url}/res.partner/search_read",
                    headers,
                    '{"args": [[["is_company", "=", true]]], '
                    '"kwargs": {"fields": ["name", "email"], "limit": 5}}',
                    user=user,
                ),
            ),
            (
                "count partners",
                curl(
                    "POST", f"{url}/res.partner/search_count", headers, '{"args": [[]]}', user=user
                ),
            ),
        ]
    if "graphql" in api.protocol:
        return [
            (
                "query 5 partners",
                curl(
                    "POST",
                    url,
                    headers,
                    '{"query": "{ ResPartner(limit: 5) { id name email } }"}',
                    user=user,
                ),
            )
        ]
    if "json" in api.protocol:
        return [
            (
                "list 5 partners",
                curl(
                    "GET",
                    f"{url}/res.partner?page%5Bsize%5D=5&fields%5Bres.partner%5D=name,email",
                    headers + ["Accept: application/vnd.api+json"],
                    user=user,
                ),
            )
        ]
    return [("call the API", curl("GET", url, headers, user=user))]


def main(env):
    """Set the demo up and print its URLs, credentials and curl lines."""
    api_model = env["api.api"]
    protocols = [key for key, _label in api_model._fields["protocol"].selection]
    auth_types = [key for key, _label in api_model._fields["auth_type"].selection]
    if not protocols or not auth_types:
        raise SystemExit("No protocol or authentication addon is installed.")
    users = {login: ensure_user(env, login, *spec) for login, spec in USERS.items()}
    caller = users[CALLER]
    lines = [
        "",
        "=" * 78,
        f"Odoo backend: {BASE_URL}/odoo   (admin / admin; API menu)",
        f"Demo API caller: {CALLER} / {USERS[CALLER][1]}",
        f"Demo API manager: api_demo_manager / {USERS['api_demo_manager'][1]}",
    ]
    for endpoint, name, protocol, auth_type in plan_apis(protocols, auth_types):
        api = ensure_api(env, endpoint, name, protocol, auth_type, caller)
        key = renew_key(env, api, caller) if auth_type == "apikey" else None
        lines += ["", f"{name}: {BASE_URL}/{endpoint}  ({protocol}, {auth_type})"]
        if key:
            lines.append(f"  API key (shown once, renewed by each run): {key}")
            if endpoint in KEY_VARIABLES:
                lines.append(f"  export {KEY_VARIABLES[endpoint]}={key}")
        headers, user = credentials(api, key)
        if headers is None:
            lines.append(
                f"  see the readme of the addon providing '{auth_type}' for its " "credentials"
            )
            continue
        for title, line in examples(api, headers, user):
            lines += [f"  # {title}", f"  {line}"]
    lines += ["=" * 78, ""]
    env.cr.commit()
    print("\n".join(lines), flush=True)


main(env)  # noqa: F821 - ``env`` is provided by odoo shell
