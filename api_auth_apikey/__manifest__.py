{
    "name": "API Authentication: API Keys",
    "summary": "Authenticate API calls with per-user, per-API keys in the x-api-key header",
    "version": "18.0.1.0.1",
    "category": "Technical/API",
    "website": "https://github.com/odoo-api-framework/api-framework",
    "author": "API Framework contributors",
    "license": "LGPL-3",
    "depends": ["api_framework_base"],
    "external_dependencies": {"python": ["passlib"]},
    "data": [
        "security/ir.model.access.csv",
        "security/api_key_security.xml",
        "wizards/api_key_generate_views.xml",
        "views/api_key_views.xml",
        "views/api_api_views.xml",
    ],
    "installable": True,
}
