from odoo.tests import tagged

from .common import JsonApiCase


@tagged("post_install", "-at_install")
class TestJsonApiQueryCount(JsonApiCase):

    @classmethod
    def _setup_records(cls):
        super()._setup_records()
        tags = cls.env["res.partner.category"].create(
            [{"name": f"PERF tag {index}"} for index in range(5)])
        Partner = cls.env["res.partner"]
        for prefix, count in (("PERF-A", 10), ("PERF-B", 100)):
            companies = Partner.create([
                {"name": f"{prefix}-{index:03d}", "is_company": True,
                 "country_id": cls.us.id, "category_id": [(6, 0, tags[index % 5].ids)]}
                for index in range(count)])
            Partner.create([
                {"name": f"child of {company.name}", "parent_id": company.id,
                 "category_id": [(6, 0, tags[(index + 1) % 5].ids)]}
                for index, company in enumerate(companies)])

    def count_queries(self, prefix):
        params = {"filter": f"[('name', '=like', '{prefix}-%')]", "page[size]": 100,
                  "include": "child_ids.category_id,country_id",
                  "fields[res.partner]": "name,child_ids,category_id,country_id"}
        before = self.cr.sql_log_count
        document = self.get("/res.partner", params)
        return self.cr.sql_log_count - before, document

    def test_two_level_include_query_count(self):
        self.count_queries("PERF-A")  # warm the caches
        small, document = self.count_queries("PERF-A")
        self.assertEqual(len(document["data"]), 10)
        large, document = self.count_queries("PERF-B")
        self.assertEqual(len(document["data"]), 100)
        self.assertEqual(len([item for item in document["included"]
                              if item["type"] == "res-partner"]), 100)
        self.assertGreater(small, 0)
        self.assertLessEqual(large, small, f"{small} queries for 10, {large} for 100")
