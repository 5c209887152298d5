"""Turn JSON:API request documents into ORM values and commands.

Attributes are converted by field type (selections by key, dates and datetimes in ISO 8601
UTC or Odoo's ``YYYY-MM-DD HH:MM:SS``, binaries in base64); relationships become ids and
x2many commands. Every problem is an :class:`ApiError` whose ``source.pointer`` names the
member of the request document at fault; the caller's transaction is then rolled back.
"""

import base64
import binascii
import datetime
from typing import Any

from odoo.fields import Command
from odoo.models import MAGIC_COLUMNS, BaseModel

from odoo.addons.api_framework_base.tools import ApiError

from .filter_values import INT4_RANGE, MAX_INT, MAX_NUMBER, is_number
from .naming import field_of, model_of, same_type, type_of
from .serializer import RELATIONAL_TYPES, TO_MANY_TYPES

RESOURCE_MEMBERS = {"type", "id", "lid", "attributes", "relationships", "meta", "links"}
# JSON:API forbids these members in attributes and relationships (the field type is odoo_type)
RESERVED_MEMBERS = ("type", "id")


def bad(status: int, detail: str, pointer: str, code: str = "invalid_document") -> ApiError:
    """Return an error about the request document member at ``pointer``."""
    return ApiError(status, detail, code=code, source={"pointer": pointer})


def escape_pointer(member: str) -> str:
    return member.replace("~", "~0").replace("/", "~1")


def nul_pointer(document: Any) -> str | None:
    """Return the JSON pointer of a string (value or member name) of ``document``
    that holds a NUL character, which PostgreSQL cannot store; None when there is none."""
    stack = [("", document)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return pointer
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{pointer}/{escape_pointer(key)}"
                if "\x00" in key:
                    return child
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{index}", item) for index, item in enumerate(value))
    return None


def parse_datetime(value: Any, pointer: str) -> datetime.datetime:
    """Return the naive UTC datetime written as ISO 8601 or ``YYYY-MM-DD HH:MM:SS``."""
    if not isinstance(value, str):
        raise bad(422, "A datetime must be a string in ISO 8601.", pointer, "invalid_value")
    try:
        parsed = datetime.datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise bad(422, f"{value!r} is not an ISO 8601 datetime such as "
                       "2023-06-12T10:22:57Z.", pointer, "invalid_value") from None
    if parsed.tzinfo:
        parsed = parsed.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def parse_date(value: Any, pointer: str) -> datetime.date:
    """Return the date written as ``YYYY-MM-DD``."""
    if not isinstance(value, str):
        raise bad(422, "A date must be a string YYYY-MM-DD.", pointer, "invalid_value")
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise bad(422, f"{value!r} is not a date YYYY-MM-DD.", pointer,
                  "invalid_value") from None


class ResourceWriter:
    """Convert resource objects of request documents for one request.

    :param api_request: the call, for model and field access
    :param lids: local ids of the Atomic Operations extension, ``{lid: record id}``
    :param max_binary_size: largest decoded binary value accepted, in bytes (0: no limit)
    """

    def __init__(self, api_request, lids: dict | None = None, max_binary_size: int = 0):
        self.api_request = api_request
        self.env = api_request.env
        self.lids = {} if lids is None else lids
        self.max_binary_size = max_binary_size

    # Identifiers ---------------------------------------------------------

    def resolve_model(self, type_name: Any, pointer: str) -> BaseModel:
        if not isinstance(type_name, str) or not type_name:
            raise bad(400, "A resource needs a type.", pointer, "missing_type")
        return self.api_request.get_model(model_of(type_name, self.env), "read")

    def check_type(self, resource: Any, model: BaseModel, pointer: str) -> None:
        """Raise 400 unless ``resource`` is an object, 409 when its type is not ``model``'s."""
        if not isinstance(resource, dict):
            raise bad(400, "A resource object is expected here.", pointer)
        type_name = resource.get("type")
        if not isinstance(type_name, str) or not type_name:
            raise bad(400, "The resource object has no type.", f"{pointer}/type", "missing_type")
        if not same_type(type_name, model._name):
            raise bad(409, f"The type {type_name!r} does not match {type_of(model._name)!r}.",
                      f"{pointer}/type", "type_mismatch")

    def check_identifier(self, identifier: Any, model: BaseModel, pointer: str) -> None:
        """Raise 400 unless ``identifier`` is an object with a type and an id (or lid),
        then 409 when the type is not ``model``'s: the structure first."""
        if not isinstance(identifier, dict) or not ("id" in identifier
                                                    or "lid" in identifier):
            raise bad(400, "A resource identifier needs a type and an id.", pointer,
                      "invalid_identifier")
        self.check_type(identifier, model, pointer)

    def record_id(self, identifier: Any, pointer: str) -> int:
        """Return the id an identifier (``id`` or ``lid``) designates."""
        if not isinstance(identifier, dict):
            raise bad(400, "A resource identifier {type, id} is expected here.", pointer)
        if "id" not in identifier and "lid" in identifier:
            lid = self.local_id(identifier, pointer)
            if lid not in self.lids:
                raise bad(404, f"The local id {lid!r} is not known (yet).", f"{pointer}/lid",
                          "unknown_lid")
            return self.lids[lid]
        raw = identifier.get("id")
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            raise bad(400, "The id must be a string or a number.", f"{pointer}/id",
                      "invalid_id")
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 0 < value <= MAX_INT:
            raise bad(400, f"{raw!r} is not a valid id.", f"{pointer}/id", "invalid_id")
        return value

    @staticmethod
    def local_id(identifier: dict, pointer: str) -> str:
        """Return the ``lid`` of a resource object or identifier: a string."""
        lid = identifier["lid"]
        if not isinstance(lid, str) or not lid:
            raise bad(400, "lid must be a non-empty string.", f"{pointer}/lid", "invalid_lid")
        return lid

    # Documents -----------------------------------------------------------

    def check_members(self, resource: dict, pointer: str) -> None:
        unknown = set(resource) - RESOURCE_MEMBERS
        if unknown:
            name = sorted(unknown)[0]
            raise bad(400, f"The member {name!r} is not allowed in a resource object.",
                      f"{pointer}/{escape_pointer(name)}")
        for member in ("attributes", "relationships"):
            if member in resource and not isinstance(resource[member], dict):
                raise bad(400, f"{member} must be an object.", f"{pointer}/{member}")

    def values(self, model: BaseModel, resource: dict, pointer: str,
               record: BaseModel | None = None) -> dict:
        """Return the ORM values that ``resource`` writes on ``model`` (or ``record``)."""
        operation = "write" if record else "create"
        self.check_members(resource, pointer)
        values = {}
        for member, value in (resource.get("attributes") or {}).items():
            member_pointer = f"{pointer}/attributes/{escape_pointer(member)}"
            field = self._field(model, member, member_pointer, operation)
            if field.type in TO_MANY_TYPES:
                raise bad(400, f"{member} is a relationship; send it in relationships.",
                          member_pointer, "not_an_attribute")
            values[field.name] = self.attribute(field, value, member_pointer)
        for member, relationship in (resource.get("relationships") or {}).items():
            member_pointer = f"{pointer}/relationships/{escape_pointer(member)}"
            field = self._field(model, member, member_pointer, operation)
            if field.type not in RELATIONAL_TYPES:
                raise bad(400, f"{member} is an attribute; send it in attributes.",
                          member_pointer, "not_a_relationship")
            if not isinstance(relationship, dict) or "data" not in relationship:
                raise bad(400, "A relationship object needs a data member.", member_pointer)
            values[field.name] = self.relationship(
                field, relationship["data"], f"{member_pointer}/data", record)
        return values

    @staticmethod
    def member_pointers(model: BaseModel, resource: dict, pointer: str) -> dict[str, str]:
        """Return ``{field name: pointer}`` of the members ``resource`` writes."""
        pointers = {}
        for kind in ("attributes", "relationships"):
            for member in resource.get(kind) or {}:
                name = field_of(member, model._fields)
                pointers[name] = f"{pointer}/{kind}/{escape_pointer(member)}"
        return pointers

    def _field(self, model: BaseModel, member: str, pointer: str, operation: str):
        if member in RESERVED_MEMBERS:
            raise bad(400, f"A resource object cannot have a member {member!r} here; the "
                           f"field {member!r} is the member 'odoo_{member}'.", pointer,
                      "reserved_member")
        name = field_of(member, model._fields)
        field = model._fields.get(name)
        if field is None or name == "id":
            raise bad(400, f"{model._name} has no field {member!r}.", pointer, "unknown_field")
        try:
            self.api_request.check_fields(model, [name], operation)
        except ApiError as error:
            raise bad(error.status, error.detail, pointer, error.error_code) from None
        if field.compute and not field.store and not field.inverse:
            raise bad(400, f"The field {member!r} is computed and cannot be written.",
                      pointer, "readonly_field")
        if name in MAGIC_COLUMNS or (field.readonly and not field.inverse):
            raise bad(403, f"The field {member!r} is read-only.", pointer, "readonly_field")
        return field

    # Attributes ----------------------------------------------------------

    def attribute(self, field, value: Any, pointer: str) -> Any:
        """Return the ORM value of an attribute given as ``value``."""
        kind = field.type
        if value is None:
            return False if kind != "boolean" else False
        converter = getattr(self, f"_convert_{kind}", None)
        if converter is None:
            return value
        return converter(field, value, pointer)

    def _expect(self, condition: bool, detail: str, pointer: str) -> None:
        if not condition:
            raise bad(422, detail, pointer, "invalid_value")

    def _convert_boolean(self, field, value, pointer):
        self._expect(isinstance(value, bool), "A boolean (true or false) is expected.", pointer)
        return value

    def _convert_integer(self, field, value, pointer):
        self._expect(isinstance(value, int) and not isinstance(value, bool),
                     "An integer is expected.", pointer)
        self._expect(INT4_RANGE[0] <= value <= INT4_RANGE[1],
                     f"Integers range from {INT4_RANGE[0]} to {INT4_RANGE[1]}.", pointer)
        return value

    _convert_many2one_reference = _convert_integer

    def _convert_float(self, field, value, pointer):
        self._expect(isinstance(value, (int, float)) and not isinstance(value, bool),
                     "A number is expected.", pointer)
        self._expect(is_number(value), f"The number is beyond {MAX_NUMBER:g}.", pointer)
        return value

    _convert_monetary = _convert_float

    def _convert_char(self, field, value, pointer):
        self._expect(isinstance(value, str), "A string is expected.", pointer)
        return value

    _convert_text = _convert_html = _convert_char

    def _convert_reference(self, field, value, pointer):
        model_name, _sep, raw_id = value.partition(",") if isinstance(value, str) else ("", "", "")
        raw_id = raw_id if raw_id.isascii() else ""
        self._expect(model_name in self.env and raw_id.isdigit() and 0 < int(raw_id) <= MAX_INT,
                     'A reference is written "<model>,<id>", e.g. "res.partner,7".', pointer)
        return value

    def _convert_selection(self, field, value, pointer):
        keys = [key for key, _label in field._description_selection(self.env)]
        self._expect(value in keys, f"{value!r} is not one of the keys "
                                    f"{', '.join(map(str, keys))}.", pointer)
        return value

    def _convert_date(self, field, value, pointer):
        return parse_date(value, pointer)

    def _convert_datetime(self, field, value, pointer):
        return parse_datetime(value, pointer)

    def _convert_binary(self, field, value, pointer):
        self._expect(isinstance(value, str), "Binary content is expected in base64.", pointer)
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise bad(422, "The content is not valid base64.", pointer,
                      "invalid_value") from None
        if self.max_binary_size and len(raw) > self.max_binary_size:
            raise bad(413, f"The content exceeds {self.max_binary_size} bytes.", pointer,
                      "payload_too_large")
        return value

    def _convert_many2one(self, field, value, pointer):
        # Accepted in attributes too, as a plain id: convenient for nested items.
        if isinstance(value, dict):
            return self.relationship(field, value, pointer, None)
        return self._existing(field.comodel_name, [self.record_id({"id": value}, pointer)],
                              pointer)[0]

    # Relationships -------------------------------------------------------

    def relationship(self, field, data: Any, pointer: str, record: BaseModel | None) -> Any:
        """Return the ORM value of a relationship's ``data`` (full replacement)."""
        comodel = self.env[field.comodel_name]
        if field.type == "many2one":
            if data is None:
                return False
            self.check_identifier(data, comodel, pointer)
            return self._existing(comodel._name, [self.record_id(data, pointer)], pointer)[0]
        if not isinstance(data, list):
            raise bad(400, "A to-many relationship takes a list of resource identifiers.",
                      pointer)
        if field.type == "many2many":
            return [Command.set(self.identifiers(comodel, data, pointer))]
        return self._one2many_commands(field, comodel, data, pointer, record)

    def identifiers(self, comodel: BaseModel, data: list, pointer: str) -> list[int]:
        """Return the ids of existing ``comodel`` records listed in ``data``."""
        ids = []
        for index, item in enumerate(data):
            self.check_identifier(item, comodel, f"{pointer}/{index}")
            ids.append(self.record_id(item, f"{pointer}/{index}"))
        return self._existing(comodel._name, ids, pointer)

    def _existing(self, model_name: str, ids: list[int], pointer: str) -> list[int]:
        if not ids:
            return ids
        model = self.env[model_name].with_context(active_test=False)
        found = set(model.browse(ids).exists().ids)
        missing = [id_ for id_ in ids if id_ not in found]
        if missing:
            raise bad(404, f"No {type_of(model_name)} resource with id {missing[0]}.", pointer,
                      "related_not_found")
        return ids

    def _one2many_commands(self, field, comodel, data, pointer, record) -> list:
        commands, kept = [], set()
        for index, item in enumerate(data):
            item_pointer = f"{pointer}/{index}"
            self.check_type(item, comodel, item_pointer)
            nested = "attributes" in item or "relationships" in item
            if "id" not in item and "lid" not in item:
                if not nested:
                    raise bad(400, "Give either an id or attributes.", item_pointer)
                self.api_request.get_model(comodel._name, "create")
                commands.append(Command.create(self.values(comodel, item, item_pointer)))
                continue
            item_id = self.record_id(item, item_pointer)
            self._existing(comodel._name, [item_id], item_pointer)
            kept.add(item_id)
            if nested:
                self.api_request.get_model(comodel._name, "write")
                target = comodel.browse(item_id)
                commands.append(Command.update(
                    item_id, self.values(comodel, item, item_pointer, target)))
            commands.append(Command.link(item_id))
        if record:
            # only the lines the API shows: those outside the access domain stay linked
            lines = record[field.name]
            domain = self.api_request.access_domain(lines)
            if domain and lines:
                lines = lines.with_context(active_test=False).search(
                    [("id", "in", lines.ids)] + domain)
            removed = [id_ for id_ in lines.ids if id_ not in kept]
            commands[:0] = [Command.unlink(id_) for id_ in removed]
        return commands
