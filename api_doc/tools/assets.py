"""The third-party browser assets of the documentation pages, served from a local folder.

Swagger UI, Redoc and GraphiQL are installed from the npm registry into a folder outside
the repository (see readme/CONFIGURE.md)::

    npm install --prefix /var/lib/api_doc_assets swagger-ui-dist@5 redoc@2 graphiql@3 \\
        react@18 react-dom@18 graphql@16

The folder is the ``api_doc.assets_path`` system parameter, else the ``api_doc_assets_path``
option of Odoo's configuration file, else ``/var/lib/api_doc_assets``. Only the files
listed in :data:`ASSETS` are ever served from it.
"""

from __future__ import annotations

import os

from odoo.tools import config

DEFAULT_ASSETS_PATH = "/var/lib/api_doc_assets"
CONFIG_PARAMETER = "api_doc.assets_path"
CONFIG_OPTION = "api_doc_assets_path"

# Public name -> (path below node_modules, content type)
ASSETS = {
    "swagger-ui-bundle.js": ("swagger-ui-dist/swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": ("swagger-ui-dist/swagger-ui.css", "text/css"),
    "redoc.standalone.js": ("redoc/bundles/redoc.standalone.js", "text/javascript"),
    "react.production.min.js": ("react/umd/react.production.min.js", "text/javascript"),
    "react-dom.production.min.js": ("react-dom/umd/react-dom.production.min.js",
                                    "text/javascript"),
    "graphiql.min.js": ("graphiql/graphiql.min.js", "text/javascript"),
    "graphiql.min.css": ("graphiql/graphiql.min.css", "text/css"),
}


NPM_PACKAGES = ("swagger-ui-dist@5", "redoc@2", "graphiql@3", "react@18", "react-dom@18",
                "graphql@16")


def install_command(path: str) -> str:
    """Return the shell command that installs the assets into ``path``."""
    return f"npm install --prefix {path} {' '.join(NPM_PACKAGES)}"


def assets_path(env) -> str:
    """Return the folder the npm packages are installed in (holding ``node_modules``)."""
    parameter = env["ir.config_parameter"].sudo().get_param(CONFIG_PARAMETER)
    return parameter or config.get(CONFIG_OPTION) or DEFAULT_ASSETS_PATH


def asset_file(env, name: str) -> tuple[str, str] | None:
    """Return ``(file path, content type)`` of the asset ``name``, or ``None``."""
    if name not in ASSETS:
        return None
    relative, content_type = ASSETS[name]
    path = os.path.join(assets_path(env), "node_modules", relative)
    return (path, content_type) if os.path.isfile(path) else None


def assets_status(env) -> dict:
    """Return ``{"path": folder, "missing": [asset names not installed]}``."""
    return {
        "path": assets_path(env),
        "missing": [name for name in ASSETS if asset_file(env, name) is None],
    }
