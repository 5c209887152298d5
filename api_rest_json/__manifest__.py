{
    "name": "API Protocol: REST-JSON",
    "summary": "Call ORM methods over plain JSON: POST /<endpoint>/<model>/<method>",
    "version": "18.0.1.0.0",
    "category": "Technical/API",
    "website": "https://github.com/odoo-api-framework/api-framework",
    "author": "API Framework contributors",
    "license": "LGPL-3",
    "depends": ["api_framework_base"],
    "installable": True,
}
