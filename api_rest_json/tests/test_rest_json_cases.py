"""The REST-JSON acceptance cases R01-R14, each compared with Odoo's own ORM."""

import base64

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RestJsonCase, as_json

PARTNER_FIELDS = ["name", "country_id", "comment", "is_company"]
PNG_2X2 = ("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM8wcXFwMDAxMDAwMDAAAAL"
           "OADgEfTV1gAAAABJRU5ErkJggg==")


@tagged("post_install", "-at_install")
class TestRestJsonCases(RestJsonCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        belgium = cls.env.ref("base.be")
        france = cls.env.ref("base.fr")
        cls.partners = cls.env["res.partner"].create([
            {"name": "R Company A", "is_company": True, "country_id": belgium.id,
             "comment": "<p>first</p>"},
            {"name": "R Company B", "is_company": True, "country_id": france.id},
            {"name": "R Person C", "country_id": belgium.id},
            {"name": "R Person D"},
        ])

    def test_r01_search(self):
        domain = [["is_company", "=", True]]
        result = self.rest_result("res.partner", "search", [domain])
        self.assertEqual(result, self.user_env()["res.partner"].search(domain).ids)
        self.assertIn(self.partners[0].id, result)

    def test_r02_search_read(self):
        domain = [["is_company", "=", True]]
        kwargs = {"fields": PARTNER_FIELDS, "limit": 5}
        result = self.rest_result("res.partner", "search_read", [domain], kwargs)
        expected = self.user_env()["res.partner"].search_read(domain, **kwargs)
        self.assertEqual(result, as_json(expected))
        by_id = {row["id"]: row for row in result}
        if self.partners[0].id in by_id:
            self.assertEqual(by_id[self.partners[0].id]["country_id"],
                             [self.env.ref("base.be").id, "Belgium"])

    def test_r03_search_count(self):
        domain = [["is_company", "=", True]]
        result = self.rest_result("res.partner", "search_count", [domain])
        self.assertIsInstance(result, int)
        self.assertEqual(result, self.user_env()["res.partner"].search_count(domain))

    def test_r04_read(self):
        ids = self.partners[:3].ids
        kwargs = {"fields": ["name", "country_id"]}
        result = self.rest_result("res.partner", "read", [ids], kwargs)
        self.assertEqual(result, as_json(self.user_env()["res.partner"].browse(ids).read(**kwargs)))
        self.assertEqual(result[2]["country_id"][0], self.env.ref("base.be").id)

    def test_r05_read_group(self):
        domain = [["is_company", "=", False]]
        kwargs = {"fields": ["name", "country_id"], "groupby": "country_id"}
        result = self.rest_result("res.partner", "read_group", [domain], kwargs)
        expected = self.user_env()["res.partner"].read_group(domain, **kwargs)
        self.assertEqual(result, as_json(expected))
        counts = {(group["country_id"] or [False])[0]: group["country_id_count"]
                  for group in result}
        self.assertGreaterEqual(counts[self.env.ref("base.be").id], 1)

    def test_r05_read_group_groupby_list(self):
        domain = [["is_company", "=", False]]
        kwargs = {"fields": ["country_id"], "groupby": ["country_id"], "lazy": False}
        result = self.rest_result("res.partner", "read_group", [domain], kwargs)
        expected = self.user_env()["res.partner"].read_group(domain, **kwargs)
        self.assertEqual(result, as_json(expected))

    def test_r06_create_one_and_many(self):
        values = {"name": "Sample Partner", "email": "sample@example.test"}
        new_id = self.rest_result("res.partner", "create", [values])
        self.assertIsInstance(new_id, int)
        partner = self.env["res.partner"].browse(new_id)
        self.assertEqual((partner.name, partner.email), (values["name"], values["email"]))
        self.assertEqual(partner.create_uid, self.api_user)

        ids = self.rest_result("res.partner", "create",
                               [[{"name": "Many One"}, {"name": "Many Two"}]])
        self.assertEqual(len(ids), 2)
        self.assertEqual(self.env["res.partner"].browse(ids).mapped("name"),
                         ["Many One", "Many Two"])

    def test_r07_write(self):
        partner = self.partners[3]
        result = self.rest_result("res.partner", "write",
                                  [[partner.id], {"name": "Sample Partner Changed"}])
        self.assertIs(result, True)
        self.env.invalidate_all()
        self.assertEqual(partner.name, "Sample Partner Changed")
        self.assertEqual(partner.write_uid, self.api_user)

    def test_r08_unlink(self):
        partner = self.env["res.partner"].create({"name": "To Delete"})
        self.assertIs(self.rest_result("res.partner", "unlink", [[partner.id]]), True)
        self.env.invalidate_all()
        self.assertFalse(partner.exists())

    def test_r09_fields_get(self):
        kwargs = {"attributes": ["string", "help", "type"]}
        result = self.rest_result("res.partner", "fields_get", [], kwargs)
        self.assertEqual(result, as_json(self.user_env()["res.partner"].fields_get(**kwargs)))

    def test_r10_check_access_rights(self):
        env = self.user_env()
        self.assertIs(self.rest_result("res.partner", "check_access_rights", ["create"]), True)
        self.assertTrue(env["res.partner"].has_access("create"))
        # no exception for a right the user lacks: false, as has_access answers
        self.assertIs(self.rest_result("res.country", "check_access_rights", ["create"]),
                      False)
        self.assertFalse(env["res.country"].has_access("create"))
        self.assertIs(
            self.rest_result("res.country", "check_access_rights", ["create"],
                             {"raise_exception": False}),
            False)
        # asked to raise, Odoo raises: 403
        self.rest_error(403, "res.country", "check_access_rights", ["create"],
                        {"raise_exception": True})

    def test_r11_private_methods_refused(self):
        count = self.env["res.partner"].search_count([])
        for method in ("_read_group_raw", "_create", "_write", "__init__", "_read_group"):
            with self.subTest(method=method):
                error = self.rest_error(403, "res.partner", method, [[{"name": "x"}]])
                self.assertEqual(error["code"], "private_method")
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_r11_private_method_refused_before_body_parsing(self):
        response = self.api_call("POST", f"/{self.endpoint}/res.partner/_create",
                                 raw="not json", headers={"x-api-key": self.key,
                                                          "Content-Type": "application/json"})
        self.assertStatus(response, 403)

    def test_r12_non_admin_cannot_set_groups_or_password(self):
        other = self.env["res.users"].create({"name": "Other", "login": "r12_other"})
        admin_group = self.env.ref("base.group_system")
        for values in ({"groups_id": [(4, admin_group.id)]}, {"password": "hacked-1234567"}):
            with self.subTest(values=list(values)):
                self.rest_error(403, "res.users", "write", [[other.id], values])
        self.env.invalidate_all()
        self.assertNotIn(admin_group, other.groups_id)
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [other.id])
        self.assertIsNone(self.env.cr.fetchone()[0])
        # nor on the caller itself: groups cannot be raised through the API
        self.rest_error(403, "res.users", "write",
                        [[self.api_user.id], {"groups_id": [(4, admin_group.id)]}])
        self.env.invalidate_all()
        self.assertNotIn(admin_group, self.api_user.groups_id)

    def test_r13_create_three_third_fails_leaves_none(self):
        names = ["R13 ok", "R13 ok 2"]
        with mute_logger("odoo.sql_db"):
            error = self.rest_call("res.partner", "create",
                                   [[{"name": names[0]}, {"name": names[1]}, {"name": False}]])
        self.assertIn(error.status_code, (400, 422))
        self.assertIn("error", error.json())
        self.assertFalse(self.env["res.partner"].search([("name", "in", names)]))

    def test_r13_create_with_unknown_field_writes_nothing(self):
        error = self.rest_error(400, "res.partner", "create",
                                [{"name": "R13 unknown", "no_such_field": 1}])
        self.assertEqual(error["code"], "unknown_field")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "R13 unknown")]))

    def test_r14_bad_requests_never_500(self):
        headers = {"x-api-key": self.key, "Content-Type": "application/json"}
        response = self.api_call("POST", f"/{self.endpoint}/res.partner/search",
                                 raw="{not json", headers=headers)
        self.assertStatus(response, 400)
        self.assertEqual(response.json()["error"]["code"], "invalid_json")
        self.assertEqual(self.rest_error(404, "no.such.model", "search")["code"],
                         "unknown_model")
        self.assertEqual(self.rest_error(404, "res.partner", "no_such_method")["code"],
                         "unknown_method")

    def test_bad_argument_shapes_are_400(self):
        cases = [
            ("search", {"args": "x", "kwargs": {}}),
            ("search", {"args": [], "kwargs": []}),
            ("search", {"args": [], "kwargs": {}, "extra": 1}),
            ("search", {"args": ["not a domain"], "kwargs": {}}),
            ("search", {"args": [{}], "kwargs": {}}),
            ("search_count", {"args": [{"a": 1}], "kwargs": {}}),
            ("search", {"args": [], "kwargs": {"domain": {}}}),
            ("create", {"args": [{"name": "x", "color": "abc"}], "kwargs": {}}),
            ("search", {"args": [[["no_such_field", "=", 1]]], "kwargs": {}}),
            ("search", {"args": [[["name", "bad-op", 1]]], "kwargs": {}}),
            ("search", {"args": [], "kwargs": {"no_such_kwarg": 1}}),
            ("search", {"args": [[], 0, "x"], "kwargs": {}}),
            ("search_read", {"args": [[]], "kwargs": {"fields": "name", "limit": "x"}}),
            ("search_read", {"args": [[]], "kwargs": {"fields": [1, 2]}}),
            ("read", {"args": [["a"]], "kwargs": {}}),
            ("read", {"args": [], "kwargs": {}}),
            ("write", {"args": [[1], "x"], "kwargs": {}}),
            ("create", {"args": ["x"], "kwargs": {}}),
            ("create", {"args": [[1, 2]], "kwargs": {}}),
            ("read_group", {"args": [[]], "kwargs": {"fields": [], "groupby": 5}}),
            ("search", {"args": [], "kwargs": {"context": "x"}}),
            ("search", ["not", "an", "object"]),
        ]
        for method, body in cases:
            with self.subTest(method=method, body=body):
                response = self.rest_call("res.partner", method, body=body)
                self.assertIn(response.status_code, (400, 422), response.text)
                self.assertIn("error", response.json())

    def test_results_are_json(self):
        partner = self.partners[0]
        partner.image_1920 = PNG_2X2
        result = self.rest_result("res.partner", "read", [[partner.id]],
                                  {"fields": ["create_date", "image_128", "child_ids"]})
        self.assertRegex(result[0]["create_date"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIsInstance(result[0]["child_ids"], list)
        # base64 as Odoo's RPC answers it, not encoded a second time
        self.assertEqual(result[0]["image_128"], partner.image_128.decode())
        self.assertEqual(base64.b64decode(result[0]["image_128"])[:4], b"\x89PNG")
        copied = self.rest_result("res.partner", "copy", [[partner.id]])
        self.assertEqual(len(copied), 1)
        self.assertEqual(self.env["res.partner"].browse(copied).name, f"{partner.name} (copy)")
