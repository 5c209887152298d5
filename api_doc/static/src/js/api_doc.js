/* Starts Swagger UI, Redoc or GraphiQL on an API's documentation page.
 *
 * The page's #api_doc_ui element tells which viewer, where the document is and how the
 * API authenticates. The reader's credentials are sent as headers with the document
 * request and with every "try it out" call; they are never stored nor put in a URL.
 */
(function () {
    "use strict";

    const root = document.getElementById("api_doc_ui");
    const form = document.getElementById("api_doc_credentials");
    const message = document.getElementById("api_doc_message");
    if (!root || root.dataset.ready !== "1") {
        return;
    }
    const page = root.dataset.page;
    const backend = root.dataset.backend === "1";

    function credentialHeaders() {
        const data = new FormData(form);
        const headers = {};
        const value = (name) => (data.get(name) || "").trim();
        switch (root.dataset.authType) {
            case "apikey":
                if (value("x-api-key")) {
                    headers["x-api-key"] = value("x-api-key");
                }
                break;
            case "basic":
                if (value("username")) {
                    headers.Authorization =
                        "Basic " + btoa(unescape(encodeURIComponent(
                            value("username") + ":" + value("password"))));
                }
                break;
            case "user":
                if (value("username")) {
                    headers.username = value("username");
                    headers.password = value("password");
                }
                break;
            default:
                if (value("token")) {
                    headers.Authorization = "Bearer " + value("token");
                }
        }
        return headers;
    }

    function say(text) {
        message.textContent = text;
    }

    async function fetchDocument() {
        const response = await fetch(root.dataset.documentUrl, {
            headers: backend ? {} : credentialHeaders(),
            credentials: "same-origin",
        });
        if (!response.ok) {
            let detail = response.statusText;
            try {
                const body = await response.json();
                detail = (body.error && body.error.message) ||
                    (body.errors && body.errors[0] && body.errors[0].detail) || detail;
            } catch (_error) {
                // not JSON: keep the status text
            }
            throw new Error(response.status + " " + detail);
        }
        return response.json();
    }

    function showSwagger(spec) {
        root.replaceChildren();
        window.apiDocUi = window.SwaggerUIBundle({
            spec: spec,
            domNode: root,
            deepLinking: false,
            validatorUrl: null,
            presets: [window.SwaggerUIBundle.presets.apis],
            layout: "BaseLayout",
            requestInterceptor: (req) => {
                Object.assign(req.headers, credentialHeaders());
                return req;
            },
        });
    }

    function showRedoc(spec) {
        root.replaceChildren();
        window.Redoc.init(spec, {hideDownloadButton: true, disableSearch: false}, root);
    }

    function showGraphiql() {
        const fetcher = window.GraphiQL.createFetcher({
            url: root.dataset.apiUrl,
            headers: credentialHeaders(),
        });
        if (!window.apiDocGraphiqlRoot) {
            window.apiDocGraphiqlRoot = window.ReactDOM.createRoot(root);
        }
        window.apiDocGraphiqlRoot.render(
            window.React.createElement(window.GraphiQL, {fetcher: fetcher}));
    }

    async function load() {
        say("");
        try {
            if (page === "graphiql") {
                showGraphiql();
                return;
            }
            say("Loading the API description...");
            const spec = await fetchDocument();
            say("");
            if (page === "redoc") {
                showRedoc(spec);
            } else {
                showSwagger(spec);
            }
        } catch (error) {
            say("The API description could not be loaded: " + error.message +
                (backend ? "" : ". Enter this API's credentials above."));
        }
    }

    form.addEventListener("submit", (event) => {
        event.preventDefault();
        load();
    });
    if (backend && page !== "graphiql") {
        load();
    } else {
        say("Enter this API's credentials above and press Load.");
    }
})();
