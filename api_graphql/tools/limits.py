"""Bounds on the depth and the complexity of an operation, checked before it is validated.

The check runs before graphql-core's own validation rules, whose cost grows with the
size of the document (quadratically for a field repeated in one selection set), and so
before any resolver and any SQL. It measures each fragment once, so that fragments
spread into one another cost their size to measure, not what they expand to.

- Complexity: the number of fields the operation selects once fragments are expanded.
  Introspection fields count like any other. An unaliased ``__typename`` is free
  (clients such as Apollo add one to every selection set), but an operation may select
  at most as many of them as the complexity limit.
- Depth: the deepest chain of nested selections, root fields at depth 1; a fragment
  spread counts as the depth its fragment expands to.
- Introspection counts towards the depth too, against a bound of its own: the API's
  maximum depth or :data:`INTROSPECTION_DEPTH`, whichever is greater, so that the
  introspection query of GraphiQL and of code generators (15 levels: its type
  references nest ``ofType`` nine times) passes the default limits. A chain of type
  references costs little; what costs is listing the members of types reached through
  members of types, each level multiplying the answer by the size of the schema. So
  the introspection fields that lead to types or to their members
  (:data:`TYPE_LISTS`) may nest :data:`INTROSPECTION_LISTS` deep: ``__schema { types
  { fields ... } }`` and ``__type(name: "X") { fields ... }`` pass,
  ``__schema { types { fields { type { fields ... } } } }`` does not. An operation may
  select ``__schema`` once and ``__type`` :data:`MAX_TYPE_FIELDS` times. These
  introspection bounds hold whatever the API's limits.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    is_introspection_type,
)

if TYPE_CHECKING:
    from graphql import (
        DocumentNode,
        GraphQLNamedType,
        GraphQLSchema,
        SelectionSetNode,
    )

__all__ = ["check_limits", "INTROSPECTION_DEPTH", "INTROSPECTION_LISTS", "MAX_TYPE_FIELDS"]

INTROSPECTION_DEPTH = 15
INTROSPECTION_LISTS = 2
MAX_SCHEMA_FIELDS = 1
MAX_TYPE_FIELDS = 10
META_ROOTS = {"__schema": "__Schema", "__type": "__Type"}
TYPE_LISTS = frozenset({
    "__type", "types", "queryType", "mutationType", "subscriptionType",
    "fields", "inputFields", "interfaces", "possibleTypes",
})


@dataclasses.dataclass
class Measure:
    """What a selection set selects; depths are relative to the set's parent field."""

    cost: int = 0
    free: int = 0
    depth: int = 0
    introspection_depth: int = 0
    lists: int = 0
    schemas: int = 0
    types: int = 0

    def add(self, other: Measure) -> None:
        """Add a sibling selection."""
        self.cost += other.cost
        self.free += other.free
        self.schemas += other.schemas
        self.types += other.types
        self.depth = max(self.depth, other.depth)
        self.introspection_depth = max(self.introspection_depth, other.introspection_depth)
        self.lists = max(self.lists, other.lists)


def check_limits(schema: GraphQLSchema, document: DocumentNode, max_depth: int,
                 max_complexity: int) -> list[GraphQLError]:
    """Return the errors of the operations of ``document`` that exceed the limits
    (0: no limit)."""
    meter = _Meter(schema, document)
    errors = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            measure = meter.operation(definition)
            errors.extend(_errors(definition, measure, max_depth, max_complexity))
    return errors


def _errors(node: OperationDefinitionNode, measure: Measure, max_depth: int,
            max_complexity: int) -> list[GraphQLError]:
    def too(code: str, message: str) -> GraphQLError:
        return GraphQLError(message, node, extensions={"code": f"query_too_{code}"})

    if max_complexity and max(measure.cost, measure.free) > max_complexity:
        return [too("complex", f"The operation selects more than {max_complexity} fields, "
                               "the complexity limit of this API.")]
    if measure.schemas > MAX_SCHEMA_FIELDS or measure.types > MAX_TYPE_FIELDS:
        return [too("complex", f"An operation may select __schema {MAX_SCHEMA_FIELDS} time "
                               f"and __type {MAX_TYPE_FIELDS} times at most.")]
    if max_depth and measure.depth > max_depth:
        return [too("deep", f"The operation is nested {measure.depth} levels deep; this "
                            f"API allows {max_depth}.")]
    introspection_depth = max(max_depth, INTROSPECTION_DEPTH)
    if max_depth and measure.introspection_depth > introspection_depth:
        return [too("deep", f"The introspection is nested {measure.introspection_depth} "
                            f"levels deep; this API allows {introspection_depth}.")]
    if measure.lists > INTROSPECTION_LISTS:
        return [too("deep", "The introspection lists the members of types reached through "
                            f"{measure.lists} nested lists of types or members; "
                            f"{INTROSPECTION_LISTS} at most, such as __schema "
                            "{ types { fields { ... } } }.")]
    return []


class _Meter:
    """Measure the operations of one document, each fragment once."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode):
        self.schema = schema
        self.fragments = {definition.name.value: definition
                          for definition in document.definitions
                          if isinstance(definition, FragmentDefinitionNode)}
        self.measured: dict[str, Measure | None] = {}

    def operation(self, node: OperationDefinitionNode) -> Measure:
        root = {
            OperationType.QUERY: self.schema.query_type,
            OperationType.MUTATION: self.schema.mutation_type,
            OperationType.SUBSCRIPTION: self.schema.subscription_type,
        }.get(node.operation)
        return self.selections(root, node.selection_set)

    def selections(self, parent: GraphQLNamedType | None,
                   selection_set: SelectionSetNode | None) -> Measure:
        total = Measure()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total.add(self.field(parent, selection))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total.add(self.selections(target, selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                total.add(self.fragment(selection.name.value))
        return total

    def fragment(self, name: str) -> Measure:
        if name in self.measured:
            # None while being measured: a cycle, which validation reports
            return self.measured[name] or Measure()
        definition = self.fragments.get(name)
        if definition is None:
            return Measure()
        self.measured[name] = None
        target = self.schema.get_type(definition.type_condition.name.value)
        measure = self.measured[name] = self.selections(target, definition.selection_set)
        return measure

    def field(self, parent: GraphQLNamedType | None, node: FieldNode) -> Measure:
        name = node.name.value
        if name == "__typename" and node.alias is None:
            return Measure(free=1)
        inner = self.selections(self.field_type(parent, name), node.selection_set)
        introspective = name in META_ROOTS or (
            parent is not None and is_introspection_type(parent))
        measure = Measure(
            cost=inner.cost + 1, free=inner.free,
            schemas=inner.schemas + (name == "__schema"),
            types=inner.types + (name == "__type"),
            lists=inner.lists + (introspective and name in TYPE_LISTS),
        )
        measure.depth = inner.depth + 1 if inner.depth or not introspective else 0
        measure.introspection_depth = inner.introspection_depth + 1 \
            if inner.introspection_depth or introspective else 0
        return measure

    def field_type(self, parent: GraphQLNamedType | None, name: str
                   ) -> GraphQLNamedType | None:
        if name in META_ROOTS:
            return self.schema.get_type(META_ROOTS[name])
        fields = getattr(parent, "fields", None)
        field = fields.get(name) if fields else None
        return get_named_type(field.type) if field is not None else None
