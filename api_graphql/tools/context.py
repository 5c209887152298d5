"""Per-request state handed to every resolver as ``info.context``.

It holds the call's :class:`ApiRequest` and memoizes the access checks (a model or a field
is checked once per request, not once per record), the batches of relation loads and
the parsing of the common arguments (ids, domains, order, paging, context).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools.query import Query

from odoo.addons.api_framework_base.tools import ApiError

from .errors import orm_reading

if TYPE_CHECKING:
    from odoo.models import BaseModel

    from odoo.addons.api_framework_base.tools import ApiRequest

__all__ = ["GraphQLRequestContext"]

_logger = logging.getLogger(__name__)

DOMAIN_OPERATORS = ("|", "&", "!")
ORDER_ERRORS = (ValueError, KeyError, TypeError, AssertionError)


class GraphQLRequestContext:
    """The execution context of one GraphQL request."""

    def __init__(self, api_request: ApiRequest):
        self.api_request = api_request
        self.api = api_request.api
        self.env = api_request.env
        self._models: dict[tuple[str, str], BaseModel] = {}
        self._fields: set[tuple[str, str, str]] = set()
        self.batches: dict[tuple, tuple[dict[int, list[int]], list[int]]] = {}

    # ------------------------------------------------------------------
    # Access checks, memoized
    # ------------------------------------------------------------------

    def model(self, model_name: str, operation: str = "read") -> BaseModel:
        """Return the model in the call's environment once ``operation`` is allowed."""
        key = (model_name, operation)
        model = self._models.get(key)
        if model is None:
            model = self._models[key] = self.api_request.get_model(model_name, operation)
        return model

    def check_field(self, model: BaseModel, field_name: str, operation: str = "read") -> None:
        """Raise unless the caller may use ``field_name`` of ``model`` for ``operation``."""
        key = (model._name, field_name, operation)
        if key not in self._fields:
            if operation == "read":
                self.model(model._name, "read")
            self.api_request.check_fields(model, [field_name], operation)
            self._fields.add(key)

    def access_domain(self, model: BaseModel) -> list:
        return self.api_request.access_domain(model)

    # ------------------------------------------------------------------
    # Arguments
    # ------------------------------------------------------------------

    def with_context(self, model: BaseModel, context: Any) -> BaseModel:
        """Return ``model`` with the request's ``context`` argument, once validated."""
        if context is None:
            return model
        if not isinstance(context, dict):
            raise ApiError(400, "The context must be an object.", code="invalid_context")
        validated = self.api._api_validate_context(context, self.api_request.user)
        return model.with_context(**validated)

    @staticmethod
    def parse_ids(id_: Any = None, ids: Any = None) -> list[int] | None:
        """Return the ids of the ``id`` and ``ids`` arguments, or None when both lack."""
        if id_ is None and ids is None:
            return None
        values = ([id_] if id_ is not None else []) + list(ids or [])
        try:
            return [int(value) for value in values]
        except (TypeError, ValueError):
            raise ApiError(400, f"Record ids are integers, not {values!r}.",
                           code="invalid_ids") from None

    def parse_domain(self, model: BaseModel, domain: Any) -> list:
        """Return ``domain`` as an Odoo domain whose fields the caller may read.

        GraphQL coerces the operator ``"|"`` given for a ``[[Any]]`` argument to
        ``["|"]``: one-item lists holding an operator are unwrapped.
        """
        if domain is None:
            return []
        if not isinstance(domain, list):
            raise ApiError(400, "A domain is a list of conditions.", code="invalid_domain")
        result = []
        for term in domain:
            if isinstance(term, list) and len(term) == 1 and term[0] in DOMAIN_OPERATORS:
                result.append(term[0])
            elif isinstance(term, str) and term in DOMAIN_OPERATORS:
                result.append(term)
            elif isinstance(term, list) and len(term) == 3 and isinstance(term[0], str) \
                    and isinstance(term[1], str):
                self.check_field(model, term[0].split(".", 1)[0])
                result.append(tuple(term))
            else:
                raise ApiError(400, f"Invalid domain term {term!r}.", code="invalid_domain")
        # every field of every path, and of the domains of 'any' conditions
        self.api_request.check_domain(model, result)
        try:
            expression.expression(result, model.sudo())
        except (ValueError, AssertionError, KeyError, TypeError) as exc:
            raise ApiError(400, f"Invalid domain: {exc}", code="invalid_domain") from None
        return result

    def search_domain(self, model: BaseModel, domain: Any, ids: list[int] | None) -> list:
        """Return the domain to search: the argument, the ids and the access domain."""
        parts = [self.parse_domain(model, domain)]
        if ids is not None:
            parts.append([("id", "in", ids)])
        access = self.access_domain(model)
        if access:
            parts.append(access)
        return expression.AND(parts) if len(parts) > 1 else parts[0]

    def parse_order(self, model: BaseModel, order: Any) -> str | None:
        """Return ``order`` once its fields are known and readable, and the ORM can sort
        by it (``field [asc|desc] [nulls first|last]``, not an x2many field)."""
        if not order:
            return None
        if not isinstance(order, str):
            raise ApiError(400, "The order is a string such as 'name, id desc'.",
                           code="invalid_order")
        for part in order.split(","):
            words = part.split()
            if not words or len(words) > 4 or words[0].split(".")[0] not in model._fields:
                raise ApiError(400, f"Invalid order {order!r}.", code="invalid_order")
            self.check_field(model, words[0].split(".")[0])
            self.api_request.check_path(model, words[0])
        try:
            # builds the ORDER BY clause as the search will, without running it
            model._order_to_sql(order, Query(model.env, model._table, model._table_sql))
        except (*ORDER_ERRORS, UserError) as exc:
            raise ApiError(400, f"Invalid order {order!r}: {exc}".split("\n", 1)[0],
                           code="invalid_order") from None
        return order

    # ------------------------------------------------------------------
    # Searches
    # ------------------------------------------------------------------

    @staticmethod
    def search(model: BaseModel, domain: list, **kwargs: Any) -> BaseModel:
        """Return ``model.search(domain, **kwargs)``; what the ORM or PostgreSQL refuse
        in the domain answers 400."""
        with orm_reading(f"the search of {model._name}"):
            return model.search(domain, **kwargs)

    @staticmethod
    def search_count(model: BaseModel, domain: list) -> int:
        with orm_reading(f"the count of {model._name}"):
            return model.search_count(domain)

    def parse_paging(self, limit: Any, offset: Any, default: bool = True
                     ) -> tuple[int | None, int]:
        """Return ``(limit, offset)`` within the API's page sizes.

        Without a limit, the API's default page size, or None (no limit) when not
        ``default``, as on x2many fields. A limit below 1 or above the maximum page size,
        and a negative offset, answer 400: Odoo reads ``limit=0`` as no limit at all.
        """
        api = self.api
        offset = offset or 0
        if offset < 0:
            raise ApiError(400, "offset cannot be negative.", code="invalid_paging")
        if limit is None:
            return (api.page_size_default if default else None), offset
        if limit < 1:
            raise ApiError(400, "limit is at least 1.", code="invalid_paging")
        if limit > api.page_size_max:
            raise ApiError(400, f"limit cannot exceed {api.page_size_max}.",
                           code="invalid_paging")
        return limit, offset
