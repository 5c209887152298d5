{
    "name": "API Documentation",
    "summary": "OpenAPI documents, Swagger UI, Redoc, GraphiQL and Postman collections "
               "for every published API",
    "version": "18.0.1.0.0",
    "category": "Technical/API",
    "website": "https://github.com/odoo-api-framework/api-framework",
    "author": "API Framework contributors",
    "license": "LGPL-3",
    "depends": ["api_framework_base"],
    "external_dependencies": {"python": ["openapi_spec_validator"]},
    "data": [
        "security/ir.model.access.csv",
        "views/api_doc_templates.xml",
        "views/api_api_views.xml",
    ],
    "installable": True,
}
