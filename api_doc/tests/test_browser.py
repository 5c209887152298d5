import json

from odoo.tests import tagged

from .common import ApiDocCase

# Runs in the page: enters the API key, waits until the viewer shows the allowed models
# and none other, then runs ``extra`` (async code) and signals success. Any console error
# or uncaught exception of the page fails the test (Odoo's ChromeBrowser watches them).
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
        console.log("test successful");
    } catch (error) {
        console.error("api_doc browser test: " + error.message);
    }
})();
"""

# Swagger UI "try it out" on res.partner/search_count, answered by the API itself.
SWAGGER_TRY_IT_OUT = """
        const operation = [...document.querySelectorAll(".opblock")].find((block) =>
            block.querySelector(".opblock-summary-path").innerText.trim() ===
            "/res.partner/search_count");
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
        self.browser_js(f"/{self.endpoint}/docs", self._browser_code(SWAGGER_TRY_IT_OUT),
                        ready="window.SwaggerUIBundle !== undefined", timeout=90)

    def test_redoc_renders_the_models(self):
        self.browser_js(f"/{self.endpoint}/docs/redoc", self._browser_code(),
                        ready="window.Redoc !== undefined", timeout=90)
