"""Rewrite a parsed document so that relational fields selected without sub-fields work.

GraphQL requires a selection set on fields of object type, but queries written for other
Odoo GraphQL suites select ``category_id`` alone to get ids. Fields of object type carry
in their ``extensions`` the name of a scalar twin (``category_id__ids``, answering ids;
``ResPartner__result``, answering a method's plain result). Before validation, every such
field selected without sub-fields is renamed to its twin, aliased to the name the client
asked for, so the answer keeps the client's key, and validation and execution then run
unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)

from .schema_builder import SCALAR_TWIN

if TYPE_CHECKING:
    from graphql import GraphQLNamedType

__all__ = ["rewrite_scalar_twins"]


def rewrite_scalar_twins(schema: GraphQLSchema, document: DocumentNode) -> DocumentNode:
    """Rename object fields selected without sub-fields to their scalar twin, in place."""
    roots = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            parent = roots.get(definition.operation)
        elif isinstance(definition, FragmentDefinitionNode):
            parent = schema.get_type(definition.type_condition.name.value)
        else:
            continue
        _rewrite(schema, parent, definition.selection_set)
    return document


def _rewrite(schema: GraphQLSchema, parent: GraphQLNamedType | None,
             selection_set: SelectionSetNode | None) -> None:
    if selection_set is None or not isinstance(parent, GraphQLObjectType):
        return
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = schema.get_type(condition.name.value) if condition else parent
            _rewrite(schema, target, selection.selection_set)
        elif isinstance(selection, FieldNode):
            field = parent.fields.get(selection.name.value)
            if field is None:
                continue
            if selection.selection_set is None:
                twin = (field.extensions or {}).get(SCALAR_TWIN)
                if twin:
                    selection.alias = selection.alias or NameNode(value=selection.name.value)
                    selection.name = NameNode(value=twin, loc=selection.name.loc)
            else:
                _rewrite(schema, get_named_type(field.type), selection.selection_set)
