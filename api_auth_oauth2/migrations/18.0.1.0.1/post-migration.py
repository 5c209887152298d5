"""Drop the table of the former client secret wizard, which kept secrets in clear.

``api.oauth2.client.secret`` is an abstract model now: Odoo leaves its old table alone."""


def migrate(cr, version):
    cr.execute("DROP TABLE IF EXISTS api_oauth2_client_secret")
