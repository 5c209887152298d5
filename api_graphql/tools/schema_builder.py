"""Build the GraphQL schema of one API from the Odoo models its access mode allows.

Every allowed model ``res.partner`` gives:

- an object type ``ResPartner`` with a field per servable Odoo field; a relational field
  ``x`` answers objects, and its scalar twin ``x__ids`` answers ids (a relational field
  selected without sub-fields is rewritten to its twin, see :mod:`.document`);
- an input type ``ResPartnerInput`` for create and write, and a page type
  ``ResPartnerPage {total offset limit hasNextPage records}``;
- query fields ``ResPartner(...)`` (a list), ``ResPartnerPage(...)`` and
  ``ResPartnerCount(domain)``;
- mutation fields ``createResPartner``, ``updateResPartner``, ``deleteResPartner``,
  ``callResPartner`` and the compact ``ResPartner(ResPartnerValues, id, method_name, ...)``.

The builder only reads the registry: resolvers take the caller's environment from the
execution context, so the schema can be cached per API and shared by every request.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
)

from . import mutations, resolvers
from .errors import guard
from .scalars import GraphQLAnyScalar, GraphQLDateScalar, GraphQLDateTimeScalar

if TYPE_CHECKING:
    from odoo.api import Environment
    from odoo.fields import Field

__all__ = ["SchemaBuilder", "type_name_of", "SCALAR_TWIN", "TWIN_SUFFIX_IDS"]

_logger = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")
# Key of GraphQLField.extensions naming the scalar field that answers when the field is
# selected without sub-fields.
SCALAR_TWIN = "scalar_twin"
TWIN_SUFFIX_IDS = "__ids"
TWIN_SUFFIX_RESULT = "__result"
LOG_FIELDS = {"id", "create_uid", "create_date", "write_uid", "write_date"}
RELATIONAL = {"many2one", "one2many", "many2many"}

SCALAR_TYPES = {
    "char": GraphQLString,
    "text": GraphQLString,
    "html": GraphQLString,
    "selection": GraphQLString,
    "reference": GraphQLString,
    "binary": GraphQLString,
    "image": GraphQLString,
    "integer": GraphQLInt,
    "many2one_reference": GraphQLInt,
    "float": GraphQLFloat,
    "monetary": GraphQLFloat,
    "boolean": GraphQLBoolean,
    "date": GraphQLDateScalar,
    "datetime": GraphQLDateTimeScalar,
}

ID_LIST = GraphQLList(GraphQLNonNull(GraphQLID))
DOMAIN = GraphQLList(GraphQLList(GraphQLAnyScalar))


def type_name_of(model_name: str) -> str:
    """Return the GraphQL type name of a model: ``res.partner`` -> ``ResPartner``."""
    parts = re.split(r"[^0-9A-Za-z]+", model_name)
    name = "".join(part[:1].upper() + part[1:] for part in parts if part)
    return name if NAME_PATTERN.match(name) else f"M{name}"


def _guarded(fields: dict[str, GraphQLField]) -> dict[str, GraphQLField]:
    """Wrap the resolvers of ``fields`` so that their API errors reach the response."""
    for field in fields.values():
        if field.resolve is not None:
            field.resolve = guard(field.resolve)
    return fields


class ModelInfo:
    """What the builder knows about one model of the schema."""

    __slots__ = ("name", "type_name", "fields", "object_type", "input_type", "page_type")

    def __init__(self, name: str, type_name: str, fields: list[Field]):
        self.name = name
        self.type_name = type_name
        self.fields = fields
        self.object_type: GraphQLObjectType | None = None
        self.input_type: GraphQLInputObjectType | None = None
        self.page_type: GraphQLObjectType | None = None


class SchemaBuilder:
    """Build the :class:`GraphQLSchema` of one API.

    :param env: a superuser environment, used to read the registry only
    :param model_fields: ``{model name: allowed field names or None for all}``
    :param denied_fields: ``{model name: field names never served}``
    """

    def __init__(self, env: Environment, model_fields: dict[str, frozenset[str] | None],
                 denied_fields: dict[str, set[str]]):
        self.env: Environment | None = env
        self.model_fields = model_fields
        self.denied_fields = denied_fields
        self.models: dict[str, ModelInfo] = {}
        self._type_names: set[str] = {"Query", "Mutation", "Any", "Date", "DateTime"}

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------

    def build(self) -> GraphQLSchema:
        started = time.perf_counter()
        for model_name in sorted(self.model_fields):
            name = self._unique_type_name(type_name_of(model_name))
            self.models[model_name] = ModelInfo(model_name, name, [])
        for info in self.models.values():
            info.fields = self._servable_fields(info.name)
            info.object_type = self._object_type(info)
        for info in self.models.values():
            info.input_type = self._input_type(info)
            info.page_type = self._page_type(info)
        schema = GraphQLSchema(
            query=GraphQLObjectType("Query", self._query_fields),
            mutation=GraphQLObjectType("Mutation", self._mutation_fields),
            types=[GraphQLAnyScalar, GraphQLDateScalar, GraphQLDateTimeScalar],
        )
        # The types keep their field thunks, and so this builder: let the environment of
        # the request that built the schema (its transaction's record cache) go with it.
        self.env = None
        _logger.info("GraphQL schema with %s models built in %.0f ms", len(self.models),
                     (time.perf_counter() - started) * 1000)
        return schema

    def _unique_type_name(self, name: str) -> str:
        candidate, counter = name, 1
        while candidate in self._type_names:
            counter += 1
            candidate = f"{name}{counter}"
        self._type_names.add(candidate)
        return candidate

    def _servable_fields(self, model_name: str) -> list[Field]:
        model = self.env[model_name]
        allowed = self.model_fields[model_name]
        denied = self.denied_fields.get(model_name, ())
        result = []
        for name, field in model._fields.items():
            if name in denied or not NAME_PATTERN.match(name) or name.startswith("__"):
                continue
            if allowed and name not in allowed and name != "id":
                continue
            if field.type in RELATIONAL and field.comodel_name not in self.models:
                continue
            if name.endswith(TWIN_SUFFIX_IDS) or name.endswith(TWIN_SUFFIX_RESULT):
                continue
            result.append(field)
        return result

    # ------------------------------------------------------------------
    # Types
    # ------------------------------------------------------------------

    def _object_type(self, info: ModelInfo) -> GraphQLObjectType:
        return GraphQLObjectType(
            info.type_name,
            partial(self._object_fields, info),
            description=f"Records of the Odoo model {info.name}.",
        )

    def _object_fields(self, info: ModelInfo) -> dict[str, GraphQLField]:
        fields: dict[str, GraphQLField] = {}
        for field in info.fields:
            description = field.string or None
            if field.name == "id":
                fields["id"] = GraphQLField(GraphQLNonNull(GraphQLInt),
                                            resolve=resolvers.resolve_id)
            elif field.type == "many2one":
                comodel = self.models[field.comodel_name]
                twin = field.name + TWIN_SUFFIX_IDS
                fields[field.name] = GraphQLField(
                    comodel.object_type, description=description,
                    resolve=partial(resolvers.resolve_many2one, field_name=field.name),
                    extensions={SCALAR_TWIN: twin})
                fields[twin] = GraphQLField(
                    GraphQLInt, description=f"The id of {field.name}.",
                    resolve=partial(resolvers.resolve_many2one_id, field_name=field.name))
            elif field.type in ("one2many", "many2many"):
                comodel = self.models[field.comodel_name]
                twin = field.name + TWIN_SUFFIX_IDS
                fields[field.name] = GraphQLField(
                    GraphQLNonNull(GraphQLList(GraphQLNonNull(comodel.object_type))),
                    args=self._x2many_args(), description=description,
                    resolve=partial(resolvers.resolve_x2many, field_name=field.name),
                    extensions={SCALAR_TWIN: twin})
                fields[twin] = GraphQLField(
                    GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLInt))),
                    args=self._x2many_args(), description=f"The ids of {field.name}.",
                    resolve=partial(resolvers.resolve_x2many_ids, field_name=field.name))
            else:
                fields[field.name] = GraphQLField(
                    SCALAR_TYPES.get(field.type, GraphQLAnyScalar), description=description,
                    resolve=resolvers.scalar_resolver(field.name, field.type))
        return _guarded(fields)

    @staticmethod
    def _x2many_args() -> dict[str, GraphQLArgument]:
        return {
            "domain": GraphQLArgument(DOMAIN, description="Filter, as an Odoo domain."),
            "limit": GraphQLArgument(GraphQLInt),
            "offset": GraphQLArgument(GraphQLInt),
            "order": GraphQLArgument(GraphQLString, description="Such as 'name, id desc'."),
        }

    def _input_type(self, info: ModelInfo) -> GraphQLInputObjectType | None:
        if not any(self._is_input(field) for field in info.fields):
            return None
        return GraphQLInputObjectType(
            self._unique_type_name(f"{info.type_name}Input"),
            partial(self._input_fields, info),
            description=f"Field values of {info.name} to create or write. Relational "
                        "fields take an id, a list of ids or Odoo command lists.",
        )

    def _input_fields(self, info: ModelInfo) -> dict[str, GraphQLInputField]:
        fields = {}
        for field in info.fields:
            if not self._is_input(field):
                continue
            if field.type in RELATIONAL:
                graphql_type = GraphQLAnyScalar
            else:
                graphql_type = SCALAR_TYPES.get(field.type, GraphQLAnyScalar)
            fields[field.name] = GraphQLInputField(graphql_type, description=field.string)
        return fields

    @staticmethod
    def _is_input(field: Field) -> bool:
        return field.name not in LOG_FIELDS and not (
            field.compute and not field.inverse and field.readonly)

    def _page_type(self, info: ModelInfo) -> GraphQLObjectType:
        return GraphQLObjectType(
            self._unique_type_name(f"{info.type_name}Page"),
            {
                "total": GraphQLField(GraphQLNonNull(GraphQLInt),
                                      description="Number of records matching the domain."),
                "offset": GraphQLField(GraphQLNonNull(GraphQLInt)),
                "limit": GraphQLField(GraphQLNonNull(GraphQLInt)),
                "hasNextPage": GraphQLField(GraphQLNonNull(GraphQLBoolean)),
                "records": GraphQLField(
                    GraphQLNonNull(GraphQLList(GraphQLNonNull(info.object_type)))),
            },
            description=f"One page of {info.name} records and the paging information.",
        )

    # ------------------------------------------------------------------
    # Root fields
    # ------------------------------------------------------------------

    def _search_args(self, with_ids: bool = True) -> dict[str, GraphQLArgument]:
        args = {
            "domain": GraphQLArgument(DOMAIN, description="Filter, as an Odoo domain."),
            "offset": GraphQLArgument(GraphQLInt),
            "limit": GraphQLArgument(GraphQLInt),
            "order": GraphQLArgument(GraphQLString, description="Such as 'name, id desc'."),
            "context": GraphQLArgument(GraphQLAnyScalar),
        }
        if with_ids:
            args = {"id": GraphQLArgument(GraphQLID), "ids": GraphQLArgument(ID_LIST), **args}
        return args

    def _query_fields(self) -> dict[str, GraphQLField]:
        fields: dict[str, GraphQLField] = {}
        names = set()
        for info in self.models.values():
            model_name = info.name
            twin = info.type_name + TWIN_SUFFIX_IDS
            fields[info.type_name] = GraphQLField(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(info.object_type))),
                args=self._search_args(), description=f"Search {model_name} records.",
                resolve=partial(resolvers.resolve_search, model_name=model_name),
                extensions={SCALAR_TWIN: twin})
            fields[twin] = GraphQLField(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(GraphQLInt))),
                args=self._search_args(), description=f"Search {model_name} ids.",
                resolve=partial(resolvers.resolve_search_ids, model_name=model_name))
            names.update(fields)
        for info in self.models.values():
            page_name = self._unique_root(names, info.page_type.name)
            fields[page_name] = GraphQLField(
                GraphQLNonNull(info.page_type), args=self._search_args(with_ids=False),
                description=f"Search a page of {info.name} records with the total count.",
                resolve=partial(resolvers.resolve_page, model_name=info.name))
            count_name = self._unique_root(names, f"{info.type_name}Count")
            fields[count_name] = GraphQLField(
                GraphQLNonNull(GraphQLInt),
                args={"domain": GraphQLArgument(DOMAIN),
                      "context": GraphQLArgument(GraphQLAnyScalar)},
                description=f"Count the {info.name} records matching the domain.",
                resolve=partial(resolvers.resolve_count, model_name=info.name))
        export_name = self._unique_root(names, "ExportData")
        fields[export_name] = GraphQLField(
            GraphQLString,
            args={"values": GraphQLArgument(GraphQLNonNull(GraphQLAnyScalar))},
            description="Odoo's export as base64 XLSX: {model, ids or domain, fields: "
                        "[{name, label}], import_compat, context}.",
            resolve=resolvers.resolve_export)
        return _guarded(fields)

    @staticmethod
    def _unique_root(names: set[str], name: str) -> str:
        candidate, counter = name, 1
        while candidate in names:
            counter += 1
            candidate = f"{name}{counter}"
        names.add(candidate)
        return candidate

    def _mutation_fields(self) -> dict[str, GraphQLField]:
        fields: dict[str, GraphQLField] = {}
        for info in self.models.values():
            fields.update(self._model_mutations(info))
        return _guarded(fields)

    def _model_mutations(self, info: ModelInfo) -> dict[str, GraphQLField]:
        model_name, type_name = info.name, info.type_name
        values_arg = f"{type_name}Values"
        context_arg = {"context": GraphQLArgument(GraphQLAnyScalar)}
        compact_args = {
            "id": GraphQLArgument(GraphQLID),
            "ids": GraphQLArgument(ID_LIST),
            "method_name": GraphQLArgument(GraphQLString),
            "method_parameters": GraphQLArgument(GraphQLAnyScalar),
            **context_arg,
        }
        if info.input_type is not None:
            compact_args[values_arg] = GraphQLArgument(info.input_type)
        compact: Callable[..., Any] = partial(mutations.resolve_compact, model_name=model_name,
                                              values_arg=values_arg)
        twin = type_name + TWIN_SUFFIX_RESULT
        required_id = {"id": GraphQLArgument(GraphQLNonNull(GraphQLID))}
        fields = {
            type_name: GraphQLField(
                GraphQLList(GraphQLNonNull(info.object_type)), args=compact_args,
                description=f"Create (values), update (id and values), delete (id alone) "
                            f"{model_name} records or call a method (method_name).",
                resolve=partial(compact, raw=False), extensions={SCALAR_TWIN: twin}),
            twin: GraphQLField(
                GraphQLAnyScalar, args=compact_args,
                description=f"As {type_name}, answering the plain result.",
                resolve=partial(compact, raw=True)),
            f"delete{type_name}": GraphQLField(
                GraphQLNonNull(GraphQLBoolean), args={**required_id, **context_arg},
                description=f"Delete a {model_name} record.",
                resolve=partial(mutations.resolve_delete, model_name=model_name)),
            f"call{type_name}": GraphQLField(
                GraphQLAnyScalar,
                args={"id": GraphQLArgument(GraphQLID), "ids": GraphQLArgument(ID_LIST),
                      "method": GraphQLArgument(GraphQLNonNull(GraphQLString)),
                      "args": GraphQLArgument(GraphQLList(GraphQLAnyScalar)),
                      "kwargs": GraphQLArgument(GraphQLAnyScalar), **context_arg},
                description=f"Call a public method of {model_name}, on the records of id "
                            "or ids when given.",
                resolve=partial(mutations.resolve_call, model_name=model_name)),
        }
        if info.input_type is None:
            return fields
        required_values = {"values": GraphQLArgument(GraphQLNonNull(info.input_type))}
        fields.update({
            f"create{type_name}": GraphQLField(
                GraphQLNonNull(info.object_type), args={**required_values, **context_arg},
                description=f"Create a {model_name} record.",
                resolve=partial(mutations.resolve_create, model_name=model_name)),
            f"update{type_name}": GraphQLField(
                GraphQLNonNull(info.object_type),
                args={**required_id, **required_values, **context_arg},
                description=f"Update a {model_name} record.",
                resolve=partial(mutations.resolve_update, model_name=model_name)),
        })
        return fields
