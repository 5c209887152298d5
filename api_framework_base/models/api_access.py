from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval


class ApiAccess(models.Model):
    """One model of an API's allow-list, used by the "custom" and "sudo" access modes."""

    _name = "api.access"
    _description = "API Allowed Model"
    _order = "api_id, model"

    api_id = fields.Many2one("api.api", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="api_id.company_id", store=True)
    active = fields.Boolean(default=True)
    model_id = fields.Many2one("ir.model", required=True, ondelete="cascade")
    model = fields.Char(related="model_id.model", store=True, string="Model Name")
    perm_read = fields.Boolean(string="Read", default=True)
    perm_create = fields.Boolean(string="Create")
    perm_write = fields.Boolean(string="Write")
    perm_unlink = fields.Boolean(string="Delete")
    perm_call = fields.Boolean(
        string="Call Methods",
        help="Allow calling the methods listed in Allowed Methods.",
    )
    method_names = fields.Char(
        string="Allowed Methods",
        help="Public methods that may be called besides those whose arguments the "
             "framework checks (search, read, read_group, fields_get, create, write, "
             "unlink, copy...), separated by commas, when Call Methods is checked. Empty "
             "allows none. A method named here runs with the user's rights, or the "
             "superuser's in the Superuser mode, without the field and domain checks of "
             "this rule: name only methods you trust with every field and record of the "
             "model. Methods that manage credentials are never called.",
    )
    field_ids = fields.Many2many(
        "ir.model.fields", string="Allowed Fields",
        domain="[('model_id', '=', model_id)]",
        help="Fields the API serves for this model. Empty serves every field the user may "
             "read.",
    )
    domain = fields.Char(
        default="[]",
        help="Only records matching this domain are served, e.g. [('is_company', '=', True)].",
    )

    _sql_constraints = [
        ("model_unique", "unique(api_id, model_id)", "A model is allowed once per API."),
    ]

    @api.constrains("domain")
    def _check_domain(self):
        for rule in self:
            try:
                domain = safe_eval(rule.domain or "[]")
                self.env[rule.model_id.model].sudo().search_count(domain, limit=1)
            except Exception as exc:
                raise ValidationError(self.env._(
                    "The domain of %(model)s is not valid: %(error)s",
                    model=rule.model_id.model, error=exc,
                )) from exc

    def _api_rule_dict(self):
        """Return this rule as plain data, safe to keep in a cache."""
        self.ensure_one()
        methods = [name.strip() for name in (self.method_names or "").split(",") if name.strip()]
        return {
            "operations": {
                "read": self.perm_read,
                "create": self.perm_create,
                "write": self.perm_write,
                "unlink": self.perm_unlink,
                "call": self.perm_call,
            },
            "fields": frozenset(self.field_ids.mapped("name")),
            "methods": frozenset(methods) if methods else None,
            "domain": tuple(safe_eval(self.domain or "[]")),
        }

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
