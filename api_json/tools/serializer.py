"""Resource objects and compound documents built from recordsets.

Records are always read a whole recordset at a time (``fetch`` then the cache), and
included resources one model at a time, so the number of SQL queries of a document does
not grow with the number of resources in it. Values are taken from the cache one field at
a time for the whole recordset (``mapped``), not one record at a time.
"""

import base64
import datetime
from typing import Any

from odoo.models import BaseModel

from .naming import member_of, type_of

RELATIONAL_TYPES = ("many2one", "one2many", "many2many")
TO_MANY_TYPES = ("one2many", "many2many")
# Left out of the default fieldset: file contents and structures meant for the web client.
HEAVY_TYPES = ("binary", "properties", "properties_definition")


def default_field_names(api_request, model: BaseModel) -> list[str]:
    """Return the fields served when no sparse fieldset is asked for: the stored fields the
    caller may read, except binaries and properties; computed fields that are not stored
    only on request."""
    names = []
    for name in api_request.readable_fields(model):
        field = model._fields[name]
        if name == "id" or not member_of(name) or field.type in HEAVY_TYPES:
            continue
        if not field.store:
            continue
        names.append(name)
    return names


def attribute_value(field, value: Any) -> Any:
    """Return the JSON value of the non-relational ``field`` holding ``value``."""
    kind = field.type
    if kind == "boolean":
        return bool(value)
    if kind in ("integer", "float", "monetary"):
        return value or 0
    if value is False or value is None:
        return None
    if kind == "datetime":
        return value.isoformat(timespec="seconds") + "Z"
    if kind == "date":
        return value.isoformat()
    if kind == "binary":
        return value.decode() if isinstance(value, bytes) else value
    if kind == "reference":
        return f"{value._name},{value.id}" if isinstance(value, BaseModel) else value
    if isinstance(value, (datetime.date, bytes)):
        return value.isoformat() if isinstance(value, datetime.date) else \
            base64.b64encode(value).decode()
    if hasattr(value, "__html__"):
        return str(value)
    return value


def _plain(value: Any) -> Any:
    return None if value is False or value is None else value


def attribute_converter(field):
    """Return a function giving the JSON value of ``field`` from its record value, as
    :func:`attribute_value` does, with a shortcut for the types kept as they are."""
    if field.type in ("char", "text", "selection"):
        return _plain
    return lambda value: attribute_value(field, value)


def fetch_missing(records: BaseModel, names: list[str]) -> None:
    """Fetch the fields ``names`` of ``records`` that are not in the cache yet.

    For records the caller is known to read (found by a search in the caller's
    environment, or already filtered or fetched): ``fetch`` on fields that are all cached
    still checks the record rules, reading every field of every record to do so.
    """
    cache = records.env.cache
    missing = [name for name in names
               if any(cache.get_missing_ids(records, records._fields[name]))]
    if missing:
        records.fetch(missing)


def include_tree(paths: list[list[str]]) -> dict:
    """Turn ``[["a", "b"], ["c"]]`` into ``{"a": {"b": {}}, "c": {}}``."""
    tree: dict = {}
    for path in paths:
        node = tree
        for name in path:
            node = node.setdefault(name, {})
    return tree


class Serializer:
    """Build resource objects for one request.

    :param api_request: the call (for readable fields and access domains)
    :param base_url: absolute URL of the API root, for links
    :param sparse: ``{model name: [field names]}`` from ``fields[...]`` parameters, already
        checked against the caller's access
    """

    def __init__(self, api_request, base_url: str, sparse: dict[str, list[str]] | None = None):
        self.api_request = api_request
        self.base_url = base_url
        self.sparse = sparse or {}
        self._fieldsets: dict[str, tuple[list, list]] = {}

    # Fieldsets ---------------------------------------------------------

    def fieldset(self, model: BaseModel) -> tuple[list, list]:
        """Return ``(attribute fields, relationship fields)`` served for ``model``."""
        if model._name not in self._fieldsets:
            names = self.sparse.get(model._name)
            if names is None:
                names = default_field_names(self.api_request, model)
            fields = [model._fields[name] for name in names]
            self._fieldsets[model._name] = (
                [field for field in fields if field.type not in RELATIONAL_TYPES],
                [field for field in fields if field.type in RELATIONAL_TYPES],
            )
        return self._fieldsets[model._name]

    # Pieces ------------------------------------------------------------

    def record_url(self, record: BaseModel) -> str:
        return f"{self.base_url}/{record._name}/{record.id}"

    @staticmethod
    def identifier(record: BaseModel) -> dict:
        return {"type": type_of(record._name), "id": str(record.id)}

    def linkage(self, field, value: BaseModel):
        """Return the resource linkage of a relational field's value."""
        if field.type in TO_MANY_TYPES:
            kind = type_of(value._name)
            return [{"type": kind, "id": str(id_)} for id_ in value._ids]
        return self.identifier(value) if value else None

    def linked(self, field, values: list[BaseModel]) -> list[BaseModel]:
        """Return the to-many ``values`` (one per record) without the records that lie
        outside their model's access domain, found with one search for them all."""
        if field.type not in TO_MANY_TYPES or not values:
            return values
        comodel = values[0]
        domain = self.api_request.access_domain(comodel)
        ids = sorted({id_ for value in values for id_ in value._ids})
        if not domain or not ids:
            return values
        visible = set(comodel.browse().with_context(active_test=False).search(
            [("id", "in", ids)] + domain).ids)
        return [value.browse([id_ for id_ in value._ids if id_ in visible])
                for value in values]

    def relationship_links(self, record: BaseModel, member: str) -> dict:
        url = self.record_url(record)
        return {"self": f"{url}/relationships/{member}", "related": f"{url}/{member}"}

    # Resources ---------------------------------------------------------

    def stored_names(self, model: BaseModel) -> list[str]:
        """Return the names of the stored fields served for ``model``."""
        attributes, relationships = self.fieldset(model)
        return [field.name for field in attributes + relationships if field.store]

    def resources(self, records: BaseModel, readable: bool = False) -> list[dict]:
        """Return the resource objects of ``records``, read in one batch.

        :param readable: whether the caller is known to read ``records`` (see
            :func:`fetch_missing`); otherwise ``fetch`` checks it
        """
        if not records:
            return []
        attributes, relationships = self.fieldset(records)
        if readable:
            fetch_missing(records, self.stored_names(records))
        else:
            records.fetch(self.stored_names(records))
        kind = type_of(records._name)
        urls = [f"{self.base_url}/{records._name}/{id_}" for id_ in records._ids]
        resources = [{"type": kind, "id": str(id_)} for id_ in records._ids]
        if attributes:
            columns = [(member_of(field.name), attribute_converter(field),
                        records.mapped(field.name)) for field in attributes]
            for index, resource in enumerate(resources):
                resource["attributes"] = {member: convert(values[index])
                                          for member, convert, values in columns}
        if relationships:
            columns = [(member_of(field.name), field,
                        self.linked(field, [record[field.name] for record in records]))
                       for field in relationships]
            for index, resource in enumerate(resources):
                url = urls[index]
                resource["relationships"] = {
                    member: {
                        "links": {"self": f"{url}/relationships/{member}",
                                  "related": f"{url}/{member}"},
                        "data": self.linkage(field, values[index]),
                    }
                    for member, field, values in columns
                }
        for url, resource in zip(urls, resources, strict=True):
            resource["links"] = {"self": url}
        return resources

    # Compound documents ------------------------------------------------

    def included(self, primary: BaseModel, tree: dict) -> list[dict]:
        """Return the included resources reached from ``primary`` through ``tree``, each
        once, leaving out the primary resources themselves."""
        found: dict[str, BaseModel] = {}
        self._collect(primary, tree, found)
        result = []
        for model_name, records in found.items():
            if model_name == primary._name:
                records -= primary
            result.extend(self.resources(records, readable=True))
        return result

    def _collect(self, records: BaseModel, tree: dict, found: dict) -> None:
        for name, subtree in tree.items():
            if not records:
                return
            fetch_missing(records, [name])
            targets = self._visible(records[name] if len(records) == 1 else records.mapped(name))
            if not targets:
                continue
            known = found.get(targets._name)
            found[targets._name] = targets if known is None else known | targets
            if subtree:
                self._collect(targets, subtree, found)

    def _visible(self, records: BaseModel) -> BaseModel:
        """Return the records among ``records`` the caller may read through this API."""
        if not records:
            return records
        records = records._filtered_access("read")
        domain = self.api_request.access_domain(records)
        if domain and records:
            records = records.with_context(active_test=False).search(
                [("id", "in", records.ids)] + domain)
        return records
