"""Choose the database of an API call on a server that serves several databases.

Odoo picks the database from the session or, when only one database passes its
``dbfilter``, that one. API calls carry no session, so with several databases they may name
theirs in the ``X-Odoo-Database`` header (or the ``db`` query parameter, outside the web
client's own paths). Only databases that Odoo's ``dbfilter`` lets through can be chosen.

The selector is installed when this addon's code is imported: on a server that serves
several databases, load the addon server-wide (``--load=base,web,api_framework_base``) so
that it is active before any database is opened.
"""

import logging

from odoo import http

_logger = logging.getLogger(__name__)

DATABASE_HEADER = "X-Odoo-Database"
WEB_CLIENT_PREFIXES = ("/web", "/odoo")


def requested_database(httprequest):
    """Return the database name the request asks for, or None."""
    name = httprequest.headers.get(DATABASE_HEADER)
    if not name and not httprequest.path.startswith(WEB_CLIENT_PREFIXES):
        name = httprequest.args.get("db")
    return name or None


def install_database_selector():
    """Let ``Request`` honour :data:`DATABASE_HEADER`; idempotent."""
    original = http.Request._get_session_and_dbname
    if getattr(original, "_api_database_selector", False):
        return

    def _get_session_and_dbname(self):
        session, dbname = original(self)
        name = requested_database(self.httprequest)
        if name and name != dbname:
            host = self.httprequest.environ.get("HTTP_HOST", "")
            if name in http.db_list(force=True, host=host):
                dbname = name
            else:
                _logger.info("Request for database %r refused by the database filter", name)
        return session, dbname

    _get_session_and_dbname._api_database_selector = True
    http.Request._get_session_and_dbname = _get_session_and_dbname
