{
    "name": "API Framework",
    "summary": "Publish Odoo models as secure, documented APIs configured in the backend",
    "version": "18.0.1.0.0",
    "category": "Technical/API",
    "website": "https://github.com/odoo-api-framework/api-framework",
    "author": "API Framework contributors",
    "license": "LGPL-3",
    "application": True,
    "depends": ["base", "web"],
    "data": [
        "security/api_security.xml",
        "security/ir.model.access.csv",
        "views/api_api_views.xml",
        "views/api_menus.xml",
    ],
    "post_load": "post_load",
    "installable": True,
}
