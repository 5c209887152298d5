{
    "name": "API Authentication: Login and Password Headers",
    "summary": "Authenticate API calls with an Odoo login and its password or API key in "
               "the username and password headers",
    "version": "18.0.1.0.0",
    "category": "Technical/API",
    "website": "https://github.com/odoo-api-framework/api-framework",
    "author": "API Framework contributors",
    "license": "LGPL-3",
    "depends": ["api_framework_base"],
    "installable": True,
}
