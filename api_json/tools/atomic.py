"""The Atomic Operations extension (https://jsonapi.org/ext/atomic).

``POST /operations`` with ``{"atomic:operations": [...]}`` runs every ``add``, ``update``
and ``remove`` operation in the request's single transaction: when one fails, none is
kept. Resources created by an operation can be referred to by later ones through their
``lid``.
"""

from odoo.addons.api_framework_base.tools import ApiError

from .naming import model_of, same_type
from .negotiation import ATOMIC_EXT
from .writer import bad

OPERATIONS = ("add", "update", "remove")
# operations per request: each may write a resource and answers one, as a page does
MAX_OPERATIONS = 100
RELATIONSHIP_METHODS = {"add": "POST", "update": "PATCH", "remove": "DELETE"}


class AtomicMixin:
    """Atomic Operations of :class:`JsonApiHandler`."""

    def post_operations(self):
        body = self.read_body()
        if ATOMIC_EXT not in self.extensions:
            raise ApiError(415, "Atomic operations are sent as application/vnd.api+json;"
                                f'ext="{ATOMIC_EXT}".', code="unsupported_media_type",
                           source={"header": "Content-Type"})
        operations = body.get("atomic:operations")
        if not isinstance(operations, list) or not operations:
            raise bad(400, "atomic:operations must be a non-empty list.", "/atomic:operations")
        if len(operations) > MAX_OPERATIONS:
            raise bad(413, f"A request runs at most {MAX_OPERATIONS} operations; split the "
                           "work into several requests.", "/atomic:operations",
                      "too_many_operations")
        results = [self._pointed_operation(operation, f"/atomic:operations/{index}")
                   for index, operation in enumerate(operations)]
        return self.respond({"atomic:results": results})

    def _pointed_operation(self, operation, pointer: str) -> dict:
        """Run one operation; its errors point into it, at the member at fault when they
        name one, else at the operation itself."""
        try:
            return self._operation(operation, pointer)
        except ApiError as error:
            inner = (error.source or {}).get("pointer") or ""
            if not inner.startswith(pointer):
                error.source = {"pointer": pointer}
            raise

    def _operation(self, operation, pointer: str) -> dict:
        if not isinstance(operation, dict) or operation.get("op") not in OPERATIONS:
            raise bad(400, "op must be add, update or remove.", f"{pointer}/op")
        if "href" in operation:
            raise bad(400, "Target operations with ref, not href.", f"{pointer}/href")
        op, ref, data = operation["op"], operation.get("ref"), operation.get("data")
        if ref is not None and not isinstance(ref, dict):
            raise bad(400, "ref must be an object {type, id or lid}.", f"{pointer}/ref")
        if ref and ref.get("relationship"):
            return self._relationship_operation(op, ref, data, pointer)
        if op == "remove":
            if not ref:
                raise bad(400, "remove needs a ref.", f"{pointer}/ref")
            record_id = self.writer().record_id(ref, f"{pointer}/ref")
            self.delete_record(self._ref_model(ref, pointer), record_id)
            return {}
        if not isinstance(data, dict):
            raise bad(400, "The operation needs a resource object as data.", f"{pointer}/data")
        if op == "add":
            record = self.create_record(self._ref_model(data, pointer, "data"), data,
                                        f"{pointer}/data")
        else:
            if ref and not same_type(str(ref.get("type")), model_of(str(data.get("type")),
                                                                     self.env)):
                raise bad(409, "ref and data do not name the same type.", f"{pointer}/ref/type",
                          "type_mismatch")
            if "id" not in data and "lid" in data:
                data = dict(data, id=self.writer().record_id(data, f"{pointer}/data"))
            # the ref, when it names a resource, must name the one data updates: else 409
            ref_id = self.writer().record_id(ref, f"{pointer}/ref") \
                if ref and ("id" in ref or "lid" in ref) else None
            record = self.update_record(self._ref_model(data, pointer, "data"), ref_id, data,
                                        f"{pointer}/data")
        return {"data": self.serializer().resources(record)[0]}

    def _ref_model(self, ref: dict, pointer: str, member: str = "ref") -> str:
        type_name = ref.get("type")
        if not isinstance(type_name, str) or not type_name:
            raise bad(400, "A type is missing.", f"{pointer}/{member}/type", "missing_type")
        return model_of(type_name, self.env)

    def _relationship_operation(self, op: str, ref: dict, data, pointer: str) -> dict:
        model = self.api_request.get_model(self._ref_model(ref, pointer), "write")
        record = self.fetch_record(model, self.writer().record_id(ref, f"{pointer}/ref"),
                                   "write")
        self.write_relationship(record, ref["relationship"], data, RELATIONSHIP_METHODS[op],
                                f"{pointer}/data")
        return {}
