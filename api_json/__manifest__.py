{
    "name": "API Protocol: JSON:API",
    "summary": "Serve every allowed Odoo model as JSON:API 1.1 resources",
    "version": "18.0.1.0.0",
    "category": "Technical/API",
    "website": "https://github.com/odoo-api-framework/api-framework",
    "author": "API Framework contributors",
    "license": "LGPL-3",
    "depends": ["api_framework_base"],
    "data": [
        "security/ir.model.access.csv",
        "views/api_api_views.xml",
    ],
    "installable": True,
}
