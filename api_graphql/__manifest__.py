{
    "name": "API Protocol: GraphQL",
    "summary": "GraphQL over every model an API allows, executed by graphql-core",
    "version": "18.0.1.0.0",
    "category": "Technical/API",
    "website": "https://github.com/odoo-api-framework/api-framework",
    "author": "API Framework contributors",
    "license": "LGPL-3",
    "depends": ["api_framework_base"],
    "external_dependencies": {"python": ["graphql-core"]},
    "data": [
        "security/ir.model.access.csv",
        "views/api_api_views.xml",
    ],
    "installable": True,
}
