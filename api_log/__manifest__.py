{
    "name": "API Request Log",
    "summary": "Log API calls in their own transaction, with secrets masked, and browse them",
    "version": "18.0.1.0.0",
    "category": "Technical/API",
    "website": "https://github.com/odoo-api-framework/api-framework",
    "author": "API Framework contributors",
    "license": "LGPL-3",
    "depends": ["api_framework_base"],
    "data": [
        "security/api_log_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "views/api_log_views.xml",
        "views/api_api_views.xml",
    ],
    "installable": True,
}
