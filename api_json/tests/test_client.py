import requests

from odoo.tests import tagged

from .common import JsonApiCase

try:
    import jsonapi_requests
except ImportError:  # declared in requirements.txt
    jsonapi_requests = None


class ApiKeyAuth(requests.auth.AuthBase):
    def __init__(self, key):
        self.key = key

    def __call__(self, prepared):
        prepared.headers["x-api-key"] = self.key
        return prepared


@tagged("post_install", "-at_install")
class TestJsonApiClientLibrary(JsonApiCase):
    """A JSON:API client from PyPI (jsonapi-requests) works against the API."""

    def test_client_crud(self):
        self.assertIsNotNone(jsonapi_requests, "jsonapi-requests is in requirements.txt")
        api = jsonapi_requests.Api.config({
            "API_ROOT": f"{self.base_url()}/{self.endpoint}/", "AUTH": ApiKeyAuth(self.key),
            "TIMEOUT": 30, "APPEND_SLASH": False, "RETRIES": 1,
        })
        # read
        response = api.endpoint(f"res-partner/{self.company.id}").get()
        self.assertEqual(response.data.attributes["name"], "JA Parent Co")
        response = api.endpoint("res-partner").get(params={"filter[parent_id]": self.company.id})
        self.assertEqual({item.id for item in response.data},
                         {str(self.child1.id), str(self.child2.id)})
        # create
        created = api.endpoint("res-partner").post(object=jsonapi_requests.JsonApiObject(
            type="res-partner", attributes={"name": "Client Made", "city": "Gent"}))
        self.assertEqual(created.status_code, 201)
        record = self.env["res.partner"].browse(int(created.data.id))
        self.assertEqual(record.city, "Gent")
        # update
        api.endpoint(f"res-partner/{record.id}").patch(object=jsonapi_requests.JsonApiObject(
            type="res-partner", id=str(record.id), attributes={"city": "Brugge"}))
        record.invalidate_recordset()
        self.assertEqual(record.city, "Brugge")
        # delete
        deleted = api.endpoint(f"res-partner/{record.id}").delete()
        self.assertEqual(deleted.status_code, 204)
        self.assertFalse(record.exists())
        with self.assertRaises(jsonapi_requests.request_factory.ApiClientError):
            api.endpoint(f"res-partner/{record.id}").get()
