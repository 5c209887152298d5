"""A test base that calls one API per installed protocol the tests know how to call."""

from odoo.addons.api_framework_base.tests.common import ApiHttpCase

from ..tools import credentials

# Protocols these tests can call, each with a read of the caller's own partner.
KNOWN_PROTOCOLS = ("rest_json", "jsonapi", "graphql")
THRESHOLD_PARAM = "api_framework.auth_failure_threshold"


class AuthProtocolsCase(ApiHttpCase):
    """Creates, for each installed protocol in ``KNOWN_PROTOCOLS``, an API with the
    authentication ``auth_type`` answering at ``/<endpoint_prefix>-<protocol>``."""

    auth_type = None
    endpoint_prefix = None

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        installed = dict(cls.env["api.api"]._fields["protocol"].selection)
        cls.protocols = [name for name in KNOWN_PROTOCOLS if name in installed]
        cls.apis = {
            protocol: cls.create_api(
                f"{cls.endpoint_prefix}-{protocol.replace('_', '-')}", protocol,
                cls.auth_type, name=f"Auth {protocol}")
            for protocol in cls.protocols
        }
        cls.partner_name = cls.api_user.partner_id.name

    def setUp(self):
        super().setUp()
        if not self.protocols:
            self.skipTest("none of the protocols these tests call is installed: "
                          + ", ".join(KNOWN_PROTOCOLS))
        credentials.clear_cache()
        self.addCleanup(credentials.clear_cache)
        # Failures of one test must not lock the next ones out; throttling tests lower it.
        self.set_failure_threshold(1000)

    def set_failure_threshold(self, threshold):
        self.env["ir.config_parameter"].sudo().set_param(THRESHOLD_PARAM, threshold)

    def call_protocol(self, protocol, headers=None, params=None):
        """Read the API user's partner through ``protocol``'s API."""
        api = self.apis[protocol]
        partner = self.api_user.partner_id
        if protocol == "rest_json":
            return self.api_call("POST", f"/{api.endpoint}/res.partner/read",
                                 body={"args": [[partner.id], ["name"]]},
                                 headers=headers, params=params)
        if protocol == "jsonapi":
            return self.api_call("GET", f"/{api.endpoint}/res.partner/{partner.id}",
                                 headers=headers, params=params)
        query = '{ ResPartner(id: "%s") { id name } }' % partner.id
        return self.api_call("POST", f"/{api.endpoint}", body={"query": query},
                             headers=headers, params=params)

    def assertCallSucceeds(self, protocol, headers):
        response = self.assertStatus(self.call_protocol(protocol, headers=headers), 200)
        self.assertIn(self.partner_name, response.text)
        return response

    def assertUnauthorized(self, response, challenge_prefix):
        self.assertStatus(response, 401)
        self.assertTrue(
            response.headers.get("WWW-Authenticate", "").startswith(challenge_prefix),
            f"WWW-Authenticate is {response.headers.get('WWW-Authenticate')!r}")
        self.assertNotIn(self.partner_name, response.text)
        return response
