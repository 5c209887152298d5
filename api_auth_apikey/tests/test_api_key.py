"""API keys: shown once, stored as a hash, found by prefix, revoked at once, own keys only."""

from datetime import timedelta
from unittest import SkipTest

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.api_framework_base.tests.common import ApiHttpCase, capture_logs, rows_holding

from ..models.api_key import INDEX_SIZE


@tagged("post_install", "-at_install")
class TestApiKey(ApiHttpCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        protocols = dict(cls.env["api.api"]._fields["protocol"].selection)
        protocol = "rest_json" if "rest_json" in protocols else next(iter(protocols), None)
        if not protocol:
            raise SkipTest("needs a protocol addon")
        cls.api = cls.create_api("key-test", protocol, "apikey",
                                 users=cls.api_user | cls.api_manager)
        cls.other_user = cls.env["res.users"].create({
            "name": "Other Caller", "login": "other_caller",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("api_framework_base.group_api_user").id])],
        })
        cls.api.user_ids += cls.other_user

    def whoami(self, key):
        return self.api_call("GET", "/key-test/whoami", headers={"x-api-key": key})

    def rows_holding(self, secret):
        return rows_holding(self.env, secret)

    def test_key_stored_as_hash_with_index(self):
        with capture_logs("odoo.addons.api_auth_apikey.models.api_key") as logs:
            key = self.env["api.key"]._generate(self.api, self.api_user, "hash check")
        record = self.env["api.key"].search([("name", "=", "hash check")])
        self.assertEqual(record.index, key[:INDEX_SIZE])
        self.assertEqual(record.last_four, key[-4:])
        self.env.cr.execute("SELECT * FROM api_key WHERE id = %s", [record.id])
        row = self.env.cr.fetchone()
        self.assertFalse([value for value in row if isinstance(value, str) and key in value])
        self.env.cr.execute("SELECT key_hash FROM api_key WHERE id = %s", [record.id])
        self.assertTrue(self.env.cr.fetchone()[0].startswith("$pbkdf2"))
        self.assertNotIn(key, "\n".join(logs.output))
        self.assertIn("generated", logs.output[0])
        with capture_logs("odoo.addons.api_auth_apikey.models.api_key") as logs:
            record.unlink()
        self.assertIn("deleted", logs.output[0])
        self.assertNotIn(key, "\n".join(logs.output))

    def test_revocation_takes_effect_at_once(self):
        key = self.env["api.key"]._generate(self.api, self.api_user, "revoke")
        self.assertStatus(self.whoami(key), 200)
        self.assertStatus(self.whoami(key), 200)  # now served from the worker's cache
        self.env["api.key"].search([("name", "=", "revoke")]).action_revoke()
        self.assertStatus(self.whoami(key), 401)

    def test_expiry_and_deletion_take_effect_at_once(self):
        key = self.env["api.key"]._generate(self.api, self.api_user, "expire")
        record = self.env["api.key"].search([("name", "=", "expire")])
        self.assertStatus(self.whoami(key), 200)
        record.expiration_date = "2000-01-01 00:00:00"
        self.assertStatus(self.whoami(key), 401)
        record.expiration_date = False
        self.assertStatus(self.whoami(key), 200)
        record.unlink()
        self.assertStatus(self.whoami(key), 401)

    def test_manual_keys_only_where_allowed(self):
        manual = "manual-key-0123456789-abcdefgh"
        with self.assertRaises(ValidationError):
            self.env["api.key"]._generate(self.api, self.api_user, "manual", key=manual)
        self.api.apikey_allow_manual = True
        with self.assertRaises(ValidationError):
            self.env["api.key"]._generate(self.api, self.api_user, "short", key="short")
        # tried before it exists: a miss must not be remembered
        self.assertStatus(self.whoami(manual), 401)
        self.assertEqual(
            self.env["api.key"]._generate(self.api, self.api_user, "manual", key=manual),
            manual)
        self.assertStatus(self.whoami(manual), 200)

    def test_users_see_own_keys_managers_all(self):
        self.env["api.key"]._generate(self.api, self.api_user, "mine")
        self.env["api.key"]._generate(self.api, self.other_user, "theirs")
        as_user = self.env["api.key"].with_user(self.api_user)
        self.assertEqual(as_user.search([("api_id", "=", self.api.id)]).mapped("name"),
                         ["mine"])
        theirs = self.env["api.key"].search([("name", "=", "theirs")])
        with self.assertRaises(AccessError):
            theirs.with_user(self.api_user).read(["name"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.api_user).action_revoke()
        as_manager = self.env["api.key"].with_user(self.api_manager)
        self.assertEqual(set(as_manager.search([("api_id", "=", self.api.id),
                                                ("name", "in", ["mine", "theirs"])])
                             .mapped("name")), {"mine", "theirs"})

    def test_wizard_generates_own_key_once(self):
        wizard = self.env["api.key.generate"].with_user(self.api_user).create(
            {"api_id": self.api.id, "name": "wizard"})
        action = wizard.action_generate()
        key = action["context"]["default_key"]
        self.assertTrue(key)
        self.assertStatus(self.whoami(key), 200)
        other = self.env["api.key.generate"].with_user(self.api_user).create(
            {"api_id": self.api.id, "name": "for other", "user_id": self.other_user.id})
        with self.assertRaises(AccessError):
            other.action_generate()
        with self.assertRaises(AccessError):
            self.env["api.key.generate"].with_user(self.api_user).create(
                {"api_id": self.api.id, "name": "manual", "manual_key": "x" * 30})

    def test_wizard_shows_the_key_once_and_stores_it_nowhere(self):
        wizard = self.env["api.key.generate"].with_user(self.api_user).create(
            {"api_id": self.api.id, "name": "shown once"})
        action = wizard.action_generate()
        key = action["context"]["default_key"]
        self.assertEqual(self.rows_holding(key), [])
        self.assertFalse(wizard.exists())
        self.assertEqual(action["res_model"], "api.key.show")
        shown = Form(self.env[action["res_model"]].with_user(self.api_user)
                     .with_context(action["context"]), view=action["views"][0][0])
        self.assertEqual(shown.key, key)
        self.assertEqual(shown.api_id, self.api)
        self.assertEqual(shown.user_id, self.api_user)
        self.assertStatus(self.whoami(key), 200)

    def test_key_entered_by_hand_is_stored_nowhere_in_clear(self):
        self.api.apikey_allow_manual = True
        manual = "typed-by-hand-0123456789-abcdefgh"
        wizard = self.env["api.key.generate"].with_user(self.api_manager).create(
            {"api_id": self.api.id, "name": "by hand", "manual_key": manual})
        self.assertEqual(self.rows_holding(manual), [])
        with self.assertRaises(ValidationError):
            self.env["api.key.generate"].with_user(self.api_manager).create(
                {"api_id": self.api.id, "name": "too short", "manual_key": "short"})
        action = wizard.action_generate()
        self.assertFalse(action["context"]["default_key"])  # the manager typed it
        self.assertEqual(self.rows_holding(manual), [])
        record = self.env["api.key"].search([("name", "=", "by hand")])
        self.assertEqual((record.index, record.last_four), (manual[:INDEX_SIZE], manual[-4:]))
        self.assertStatus(self.whoami(manual), 200)

    def test_users_cannot_reassign_extend_or_reactivate_their_keys(self):
        soon = fields.Datetime.now() + timedelta(days=1)
        key = self.env["api.key"]._generate(self.api, self.api_user, "guarded",
                                            expiration_date=soon)
        record = self.env["api.key"].search([("name", "=", "guarded")])
        other_api = self.create_api("key-test-other", self.api.protocol, "apikey",
                                    users=self.api_user)
        mine = record.with_user(self.api_user)
        changes = {
            "owner": {"user_id": self.api_manager.id},
            "API": {"api_id": other_api.id},
            "later expiry": {"expiration_date": soon + timedelta(days=365)},
            "no expiry": {"expiration_date": False},
            "index": {"index": key[:4] + "zzzz"},
            "last four": {"last_four": "zzzz"},
        }
        for label, vals in changes.items():
            with self.subTest(change=label), self.assertRaises(AccessError):
                mine.write(vals)
        record.invalidate_recordset()
        self.assertEqual((record.user_id, record.api_id, record.expiration_date),
                         (self.api_user, self.api, soon.replace(microsecond=0)))
        self.assertStatus(self.whoami(key), 200)
        self.assertStatus(self.whoami(key), 200)  # now served from the worker's cache

        with capture_logs("odoo.addons.api_auth_apikey.models.api_key") as logs:
            mine.action_revoke()
        self.assertStatus(self.whoami(key), 401)
        output = "\n".join(logs.output)
        self.assertIn("revoked by api_caller", output)
        self.assertNotIn(key[:INDEX_SIZE], output)
        for label, reactivate in {"write": lambda: mine.write({"active": True}),
                                  "unarchive": mine.action_unarchive}.items():
            with self.subTest(reactivate=label), self.assertRaises(AccessError):
                reactivate()
        record.invalidate_recordset()
        self.assertFalse(record.active)
        self.assertStatus(self.whoami(key), 401)

    def test_manager_changes_of_a_key_are_logged_and_apply_at_once(self):
        key = self.env["api.key"]._generate(self.api, self.api_user, "handed over")
        record = self.env["api.key"].search([("name", "=", "handed over")])
        self.assertIn("api_caller", self.whoami(key).text)
        with capture_logs("odoo.addons.api_auth_apikey.models.api_key") as logs:
            record.with_user(self.api_manager).write({"user_id": self.other_user.id})
        self.assertIn("other_caller", self.assertStatus(self.whoami(key), 200).text)
        output = "\n".join(logs.output)
        self.assertIn("INFO", output)
        for login in ("api_caller", "other_caller", "api_admin"):
            self.assertIn(login, output)
        self.assertNotIn(key[:INDEX_SIZE], output)
