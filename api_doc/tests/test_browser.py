import json

from odoo.tests import tagged

from .common import ApiDocCase

# Runs in the page: enters the API key, waits until the viewer shows the allowed models
# and none other, then runs ``extra`` (async code) and signals success. Any console error
# or uncaught exception of the page fails the test (Odoo's ChromeBrowser watches them), and
# so does any resource the page loaded from another host than the test server.
BROWSER_CODE = """
(async () => {
    const deadline = Date.now() + 40000;
    const waitFor = async (what, check) => {
        while (!check()) {
            if (Date.now() > deadline) {
                throw new Error("timed out waiting for " + what);
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    };
    try {
        const form = document.getElementById("api_doc_credentials");
        form.elements["x-api-key"].value = %(key)s;
        form.requestSubmit();
        await waitFor("the models", () => %(models)s.every(
            (model) => document.body.innerText.includes(model)));
        for (const hidden of %(hidden)s) {
            if (document.body.innerText.includes(hidden)) {
                throw new Error(hidden + " is shown but the API does not allow it");
            }
        }
        %(extra)s
        // everything the page loaded came from this server: no CDN, no other host
        const foreign = performance.getEntriesByType("resource")
            .map((entry) => entry.name)
            .filter((url) => !url.startsWith(location.origin + "/"));
        if (foreign.length) {
            throw new Error("loaded from another host: " + foreign.join(", "));
        }
        console.log("test successful");
    } catch (error) {
        console.error("api_doc browser test: " + error.message);
    }
})();
"""

# Swagger UI "try it out" on one operation, answered by the API itself.
SWAGGER_TRY_IT_OUT = """
        const operation = [...document.querySelectorAll(".opblock")].find((block) =>
            block.querySelector(".opblock-summary-path").innerText.trim() === %(path)s);
        operation.querySelector("button.opblock-summary-control").click();
        await waitFor("try it out", () => operation.querySelector(".try-out__btn"));
        operation.querySelector(".try-out__btn").click();
        await waitFor("execute", () => operation.querySelector(".execute"));
        operation.querySelector(".execute").click();
        await waitFor("the answer", () => operation.querySelector(
            ".live-responses-table tr.response .response-col_status"));
        const status = operation.querySelector(
            ".live-responses-table tr.response .response-col_status").innerText.trim();
        if (!status.startsWith("200")) {
            throw new Error("try it out answered " + status);
        }
"""


@tagged("post_install", "-at_install")
class TestDocPagesInChromium(ApiDocCase):
    """Swagger UI and Redoc render the API's models in headless Chromium."""

    def _browser_code(self, extra=""):
        return BROWSER_CODE % {
            "key": json.dumps(self.key),
            "models": json.dumps(["res.partner", "res.partner.category", "res.country"]),
            "hidden": json.dumps(["res.users", "ir.config_parameter"]),
            "extra": extra,
        }

    def test_swagger_ui_renders_the_models_and_tries_a_call(self):
        try_it_out = SWAGGER_TRY_IT_OUT % {"path": json.dumps("/res.partner/search_count")}
        self.browser_js(f"/{self.endpoint}/docs", self._browser_code(try_it_out),
                        ready="window.SwaggerUIBundle !== undefined", timeout=90)

    def test_redoc_renders_the_models(self):
        self.browser_js(f"/{self.endpoint}/docs/redoc", self._browser_code(),
                        ready="window.Redoc !== undefined", timeout=90)


@tagged("post_install", "-at_install")
class TestJsonApiDocPagesInChromium(ApiDocCase):
    """Swagger UI and Redoc render a JSON:API's types (needs api_json)."""

    def setUp(self):
        super().setUp()
        if "jsonapi" not in dict(self.env["api.api"]._fields["protocol"].selection):
            self.skipTest("needs api_json")
        api = self.create_api("doc-ja-ui", "jsonapi", "apikey", access_mode="custom",
                              access_ids=[(0, 0, {"model_id": self.model_id(name)})
                                          for name in ("res.partner", "res.country")])
        self.ja_key = self.env["api.key"]._generate(api, self.api_user, "ui")

    def _browser_code(self, extra=""):
        return BROWSER_CODE % {
            "key": json.dumps(self.ja_key),
            "models": json.dumps(["res-partner", "res-country", "/res-country/{id}"]),
            "hidden": json.dumps(["res-users", "ir-config-parameter"]),
            "extra": extra,
        }

    def test_swagger_ui_renders_a_jsonapi_and_tries_a_call(self):
        code = self._browser_code(SWAGGER_TRY_IT_OUT % {"path": json.dumps("/res-country")})
        self.browser_js("/doc-ja-ui/docs", code, ready="window.SwaggerUIBundle !== undefined",
                        timeout=90)

    def test_redoc_renders_a_jsonapi(self):
        self.browser_js("/doc-ja-ui/docs/redoc", self._browser_code(),
                        ready="window.Redoc !== undefined", timeout=90)
