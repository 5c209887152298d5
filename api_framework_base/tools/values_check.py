"""Checking the values a call creates or writes, nested relations included.

Every way of writing goes through :class:`ValuesCheck`: the method calls of every protocol
(``api.api._api_call_method``), and the protocols' own writers through
:meth:`ApiRequest.check_values`. Before the ORM runs, it checks each field of the values for
the operation, and for relational values the model they lead to and the operation each
command makes there (``Command.create`` creates, ``update`` writes, ``delete`` deletes,
``link``, ``set`` and plain ids read, ``unlink`` and ``clear`` of a one2many write or
delete the lines they detach), and that the records a command names lie within that
model's access domain. Once the ORM ran, :meth:`ValuesCheck.verify` checks that the records
written, and the lines created or updated through them, still lie within their access
domains. The fields and models no access mode serves are refused at every level, in every
mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ApiError

if TYPE_CHECKING:
    from odoo.fields import Field
    from odoo.models import BaseModel

    from .api_request import ApiRequest

__all__ = ["ValuesCheck"]

X2MANY_TYPES = ("one2many", "many2many")
DEFAULT_PREFIX = "default_"


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def invalid(field: Field, detail: str) -> ApiError:
    return ApiError(400, f"{field.name}: {detail}", code="invalid_values",
                    source={"parameter": field.name})


class FieldPlan:
    """What to verify, once written, about the lines of one x2many field."""

    __slots__ = ("before", "comodel", "created", "updated")

    def __init__(self, comodel: BaseModel):
        self.comodel = comodel
        self.updated: dict[int, list[dict]] = {}  # line id: plans of the values written
        self.created: list[dict] = []  # plans of the values of the lines created
        self.before: set[int] = set()  # the lines of the records before the write


class ValuesCheck:
    """Checks create or write values against the access mode of one call.

    >>> check = api_request.check_values(model, values, "write", records)
    >>> records.write(values)
    >>> check.verify(records)
    """

    def __init__(self, api_request: ApiRequest):
        self.api_request = api_request
        self.api = api_request.api
        # in the User mode the ORM checks rights and rules itself, nested commands included
        self.user_mode = self.api.access_mode == "user"
        self.targets: dict[tuple[str, str], set[int]] = {}
        self.plans: list[dict[str, FieldPlan]] = []
        self._defaults_checked: set[str] = set()
        # the context of the call, which the ORM hands down to nested commands
        self.context: dict = {}

    # ------------------------------------------------------------------
    # Before the write
    # ------------------------------------------------------------------

    def check(self, model: BaseModel, values: Any, operation: str,
              records: BaseModel | None = None) -> ValuesCheck:
        """Check ``values`` (one dict, or for ``create`` a list of dicts) that
        ``operation`` (create or write) gives to ``model``, or to ``records``."""
        self.context = model.env.context
        many = operation == "create" and isinstance(values, list)
        for vals in values if many else [values]:
            self.plans.append(self._values(model, vals, operation, records or None))
        self._check_targets()
        for plan in self.plans:
            self._capture(records or None, plan)
        return self

    def check_defaults(self, model: BaseModel) -> None:
        """Refuse the ``default_<field>`` keys of ``model``'s context that name a field
        the API does not let create on ``model``, or a field no access mode serves."""
        self.context = model.env.context
        self._check_defaults(model)
        self._check_targets()

    def _check_defaults(self, model: BaseModel) -> None:
        if model._name in self._defaults_checked:
            return
        self._defaults_checked.add(model._name)
        denied = set().union(*self.api._api_denied_fields().values())
        for key, value in model.env.context.items():
            if not isinstance(key, str) or not key.startswith(DEFAULT_PREFIX):
                continue
            name = key[len(DEFAULT_PREFIX):]
            if name not in denied and name not in model._fields:
                continue  # a default for another model
            try:
                if name in denied:
                    raise ApiError(403, "no API serves this field", code="field_not_allowed")
                self._values(model, {name: value}, "create", None)
            except ApiError as error:
                raise ApiError(error.status, f"The context key {key!r} cannot be used: "
                                             f"{error.detail}", code=error.error_code,
                               source={"parameter": "context"}) from None

    def _values(self, model: BaseModel, values: Any, operation: str,
                records: BaseModel | None) -> dict[str, FieldPlan]:
        if not isinstance(values, dict):
            raise ApiError(400, f"{operation} expects field values as objects.",
                           code="invalid_values")
        if operation == "create":
            self._check_defaults(model)
        self.api._api_check_fields(self.api_request, model, list(values), operation)
        plan = {}
        for name, value in values.items():
            field = model._fields[name]
            if field.type == "many2one":
                self._many2one(field, value)
            elif field.type in X2MANY_TYPES:
                field_plan = self._x2many(field, value, records)
                if field_plan is not None:
                    plan[name] = field_plan
            elif field.type == "reference":
                self._reference(field, value)
        return plan

    def _comodel(self, field: Field, operation: str, model_name: str | None = None):
        """Return the model ``field`` leads to once ``operation`` is allowed there."""
        name = model_name or field.comodel_name
        api = self.api
        if name in api._api_denied_models() or (
                api._api_uses_allow_list() and name not in api._api_access_rules()):
            raise ApiError(403, f"The field {field.name!r} of {field.model_name} leads to "
                                f"{name}, outside this API.", code="field_not_allowed",
                           source={"parameter": field.name})
        if self.user_mode:
            api._api_check_operation(self.api_request, name, operation)
            model = self.api_request.env[name]
        else:
            model = api._api_get_model(self.api_request, name, operation)
        return model.with_context(self.context)

    def _target(self, model: BaseModel, operation: str, ids: list[int]) -> None:
        """Note records that must lie within ``model``'s access domain (where the ORM
        does not check the user's own rights on them)."""
        if not self.user_mode:
            self.targets.setdefault((model._name, operation), set()).update(ids)

    def _check_targets(self) -> None:
        for (model_name, operation), ids in self.targets.items():
            records = self.api_request.env[model_name].browse(sorted(ids))
            self.api._api_check_records(self.api_request, records, operation)
        self.targets.clear()

    def _many2one(self, field: Field, value: Any) -> None:
        if value is False or value is None:
            return
        if not is_id(value):
            raise invalid(field, f"a record id or false is expected, not {value!r}.")
        self._target(self._comodel(field, "read"), "read", [value])

    def _reference(self, field: Field, value: Any) -> None:
        if value is False or value is None:
            return
        model_name, _comma, record_id = value.partition(",") if isinstance(value, str) \
            else ("", "", "")
        if model_name not in self.api_request.env or not record_id.strip().isdigit():
            raise invalid(field, f"'model,id' is expected, not {value!r}.")
        comodel = self._comodel(field, "read", model_name)
        self._target(comodel, "read", [int(record_id)])

    # x2many commands -------------------------------------------------------

    def _x2many(self, field: Field, value: Any, records: BaseModel | None):
        comodel = self.api_request.env[field.comodel_name].with_context(self.context)
        plan = FieldPlan(comodel)
        one2many = field.type == "one2many"
        # lines a one2many detaches are deleted when their many2one cascades, else emptied
        inverse = comodel._fields.get(field.inverse_name) if one2many else None
        detach = "unlink" if getattr(inverse, "ondelete", None) == "cascade" else "write"
        link = "write" if one2many else "read"
        for command in self._commands(field, value):
            code = command[0]
            if code == 0:
                values = command[2] if len(command) == 3 else None
                model = self._comodel(field, "create")
                plan.created.append(self._values(model, values, "create", None))
            elif code == 1:
                line_id = self._command_id(field, command, 3)
                model = self._comodel(field, "write")
                self._target(model, "write", [line_id])
                plan.updated.setdefault(line_id, []).append(
                    self._values(model, command[2], "write", model.browse(line_id)))
            elif code in (2, 3, 4):
                operation = {2: "unlink", 3: detach if one2many else "read", 4: link}[code]
                line_id = self._command_id(field, command, 2)
                self._target(self._comodel(field, operation), operation, [line_id])
            else:
                ids = self._command_ids(field, command) if code == 6 else []
                if code == 6:
                    self._target(self._comodel(field, link), link, ids)
                # both kinds: clearing or setting would drop links the API does not show
                self._detached(field, records, ids, detach if one2many else "read")
        return plan if self._to_verify(plan) else None

    def _commands(self, field: Field, value: Any) -> list:
        if value is False or value is None:
            return [(5,)]
        if not isinstance(value, (list, tuple)):
            raise invalid(field, "a list of ids or of commands is expected.")
        if all(is_id(item) for item in value):
            return [(6, 0, list(value))] if value else []
        for command in value:
            if not isinstance(command, (list, tuple)) or not command \
                    or not is_id(command[0]) or not 0 <= command[0] <= 6:
                raise invalid(field, f"{command!r} is not a command such as [0, 0, {{...}}].")
        return value

    @staticmethod
    def _command_id(field: Field, command: list | tuple, length: int) -> int:
        if len(command) < length or not is_id(command[1]):
            raise invalid(field, f"command {command[0]} needs a record id.")
        return command[1]

    @staticmethod
    def _command_ids(field: Field, command: list | tuple) -> list[int]:
        ids = command[2] if len(command) == 3 else None
        if not isinstance(ids, (list, tuple)) or not all(is_id(id_) for id_ in ids):
            raise invalid(field, "command 6 is [6, 0, [ids]].")
        return list(ids)

    def _detached(self, field: Field, records: BaseModel | None, kept: list[int],
                  operation: str) -> None:
        """Check the records an x2many ``clear`` or ``set`` detaches from ``records``."""
        comodel = self._comodel(field, operation)
        if self.user_mode or not records \
                or not self.api._api_access_domain(self.api_request, comodel):
            return
        lines = records.with_context(active_test=False)[field.name]
        outside = self.api._api_records_outside(
            self.api_request, lines - comodel.browse(kept))
        if outside:
            raise ApiError(403, f"{field.name} would change records {sorted(outside)} of "
                                f"{comodel._name} outside this API.",
                           code="outside_access_domain", source={"parameter": field.name})

    def _to_verify(self, plan: FieldPlan) -> bool:
        """Whether written lines may leave an access domain: only where one applies."""
        if self.user_mode or not (plan.created or plan.updated):
            return False
        nested = plan.created + [sub for subs in plan.updated.values() for sub in subs]
        return bool(self.api._api_access_domain(self.api_request, plan.comodel)) \
            or any(nested)

    def _capture(self, records: BaseModel | None, plan: dict[str, FieldPlan]) -> None:
        """Note the lines the records have before the write, to tell the new ones."""
        for name, field_plan in plan.items():
            if records:
                field_plan.before.update(records.with_context(active_test=False)[name].ids)
            for line_id, subplans in field_plan.updated.items():
                for subplan in subplans:
                    self._capture(field_plan.comodel.browse(line_id), subplan)
            for subplan in field_plan.created:
                self._capture(None, subplan)

    # ------------------------------------------------------------------
    # After the write
    # ------------------------------------------------------------------

    def verify(self, records: BaseModel) -> BaseModel:
        """Raise 403 when ``records`` (created or written with the values, in their order
        for a list of values), or lines created or updated through them, lie outside the
        access domains; the transaction then rolls back."""
        self.api._api_check_written(self.api_request, records)
        if len(self.plans) == len(records) > 1:
            pairs = zip(records, self.plans)
        else:
            pairs = [(records, plan) for plan in self.plans]
        for written, plan in pairs:
            self._verify(written, plan)
        return records

    def _verify(self, records: BaseModel, plan: dict[str, FieldPlan]) -> None:
        for name, field_plan in plan.items():
            lines = records.with_context(active_test=False)[name]
            new = lines - field_plan.comodel.browse(field_plan.before)
            touched = (new | field_plan.comodel.browse(list(field_plan.updated))).exists()
            self.api._api_check_written(self.api_request, touched)
            for line_id, subplans in field_plan.updated.items():
                for subplan in subplans:
                    self._verify(field_plan.comodel.browse(line_id), subplan)
            for subplan in field_plan.created:
                self._verify(new, subplan)
