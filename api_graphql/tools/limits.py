"""Validation rules bounding the depth and the complexity of an operation.

They run with graphql-core's validation, before any resolver and so before any SQL.
The depth of an operation is the deepest chain of nested selections (root fields are at
depth 1); its complexity is the number of fields it selects once fragments are expanded.
Introspection fields (``__schema``, ``__type``, ``__typename``) count for neither, so
GraphiQL's introspection query is never refused by these limits.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
)

__all__ = ["limits_rule"]


class _TooComplex(Exception):
    """Raised to stop measuring once the complexity exceeds the limit."""


def limits_rule(max_depth: int, max_complexity: int) -> type[ASTValidationRule]:
    """Return a validation rule enforcing ``max_depth`` and ``max_complexity`` (0: none)."""

    class QueryLimitsRule(ASTValidationRule):
        def __init__(self, context: ValidationContext):
            super().__init__(context)
            self.cost = 0

        def enter_operation_definition(self, node: OperationDefinitionNode,
                                       *_args: Any) -> None:
            self.cost = 0
            try:
                depth = self._measure(node.selection_set, 0, frozenset())
            except _TooComplex:
                self.report_error(GraphQLError(
                    f"The operation selects more than {max_complexity} fields, the "
                    "complexity limit of this API.", node,
                    extensions={"code": "query_too_complex"}))
                return
            if max_depth and depth > max_depth:
                self.report_error(GraphQLError(
                    f"The operation is nested {depth} levels deep; this API allows "
                    f"{max_depth}.", node, extensions={"code": "query_too_deep"}))

        def _measure(self, selection_set: SelectionSetNode | None, depth: int,
                     fragments: frozenset[str]) -> int:
            if selection_set is None:
                return depth
            deepest = depth
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    if selection.name.value.startswith("__"):
                        continue
                    self.cost += 1
                    if max_complexity and self.cost > max_complexity:
                        raise _TooComplex
                    deepest = max(deepest, self._measure(
                        selection.selection_set, depth + 1, fragments))
                elif isinstance(selection, InlineFragmentNode):
                    deepest = max(deepest, self._measure(
                        selection.selection_set, depth, fragments))
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.context.get_fragment(name)
                    if fragment is None or name in fragments:
                        continue
                    deepest = max(deepest, self._measure(
                        fragment.selection_set, depth, fragments | {name}))
            return deepest

    return QueryLimitsRule
