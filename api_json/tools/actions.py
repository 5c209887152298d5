"""Beyond CRUD: method calls, exports, reports and binary files."""

import base64
import logging
import mimetypes

from odoo.http import Response, content_disposition
from odoo.models import BaseModel
from odoo.osv import expression
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.api_framework_base.models.api_api import method_operation
from odoo.addons.api_framework_base.tools import ApiError
from odoo.addons.web.controllers.export import CSVExport, ExcelExport

from . import filters
from .naming import model_of
from .writer import bad

_logger = logging.getLogger(__name__)

EXPORT_FORMATS = {"xlsx": ExcelExport, "csv": CSVExport}
REPORT_CONVERTERS = {
    "pdf": ("_render_qweb_pdf", "application/pdf"),
    "html": ("_render_qweb_html", "text/html"),
    "text": ("_render_qweb_text", "text/plain"),
}


def _is_id_list(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in value)


class ActionsMixin:
    """Method calls, exports, reports and files of :class:`JsonApiHandler`."""

    def _action_params(self, key: str) -> dict:
        """Return the parameters, sent either at the top level or as ``data``."""
        body = self.read_body()
        params = body if key in body else body.get("data", body)
        if not isinstance(params, dict):
            raise bad(400, "The request data must be an object.", "/data")
        return params

    def _validated_context(self, context, pointer: str) -> dict:
        if context is None:
            return {}
        if not isinstance(context, dict):
            raise bad(400, "The context must be an object.", pointer)
        return self.api._api_validate_context(context, self.api_request.user)

    # Method calls --------------------------------------------------------

    def post_execute(self, model_name: str, record_id: int | None) -> Response:
        """Call a public method on a record, or on the model, within the access mode."""
        data = self.primary_data()
        if not isinstance(data, dict):
            raise bad(400, 'data must be {"method": ..., "args": [...], "kwargs": {...}}.',
                      "/data")
        method_name = data.get("method")
        args, kwargs = data.get("args", []), data.get("kwargs") or {}
        if not isinstance(method_name, str) or not method_name:
            raise bad(400, "data.method must name a method.", "/data/method")
        if not isinstance(args, list):
            raise bad(400, "data.args must be a list.", "/data/args")
        if not isinstance(kwargs, dict):
            raise bad(400, "data.kwargs must be an object.", "/data/kwargs")
        kwargs = dict(kwargs)
        operation = method_operation(method_name)
        self.api_request.check_method_name(method_name)
        model = self.api_request.get_model(model_name, operation)
        method = self.api_request.check_method(model, method_name)
        if record_id is not None:
            records = self.fetch_record(model, record_id)
        elif getattr(method, "_api", None) in ("model", "model_create"):
            records = None
        elif "ids" in data:
            if not _is_id_list(data["ids"]):
                raise bad(400, "data.ids must be a list of record ids.", "/data/ids",
                          "invalid_ids")
            records = model.browse(data["ids"])
        else:
            records = model  # an empty recordset, as Odoo's RPC gives for ids=[]
        result = self.api_request.call_method(model, method_name, args, kwargs, records)
        if isinstance(result, BaseModel):
            serializer = self.serializer()
            return self.respond({"data": [serializer.identifier(rec) for rec in result]})
        return self.respond({"meta": {"result": result}})

    # Exports -------------------------------------------------------------

    def post_export(self) -> Response:
        """Export records as Odoo's own export does, in base64 XLSX (or CSV)."""
        params = self._action_params("model")
        model_name = params.get("model")
        if not isinstance(model_name, str):
            raise bad(400, "model must name the model to export.", "/model")
        model = self.api_request.get_model(model_of(model_name, self.env), "read")
        export_fields = params.get("fields")
        if not isinstance(export_fields, list) or not export_fields or not all(
                isinstance(item, dict) and isinstance(item.get("name"), str)
                for item in export_fields):
            raise bad(400, 'fields must be a list of {"name": ..., "label": ...}.', "/fields")
        names = [item["name"] for item in export_fields]
        for name in names:
            self._check_export_path(model, name)
        fmt = params.get("format", "xlsx")
        if not isinstance(fmt, str) or fmt not in EXPORT_FORMATS:
            raise bad(400, "format is xlsx or csv.", "/format")
        import_compat = bool(params.get("import_compat"))
        context = self._validated_context(params.get("context"), "/context")
        model = model.with_context(import_compat=import_compat, **context)
        records = self._export_records(model, params)
        self._check_export_right()
        rows = records.export_data(names).get("datas", [])
        headers = names if import_compat else [
            str(item.get("label") or item["name"]).strip() for item in export_fields]
        exporter = EXPORT_FORMATS[fmt]()
        content = exporter.from_data(export_fields, headers, rows)
        if isinstance(content, str):
            content = content.encode()
        _logger.info("API %s: user %s exported %d %s records", self.api.endpoint,
                     self.api_request.user.login, len(records), model._name)
        meta = {"format": fmt, "mimetype": exporter.content_type,
                "filename": f"{model._name}{exporter.extension}", "count": len(records),
                "content": base64.b64encode(content).decode()}
        return self.respond({"meta": meta})

    def _check_export_path(self, model: BaseModel, path: str) -> None:
        """Refuse an export path as the framework refuses it to ``export_data``: every
        field readable along the way, no model outside the API, and the records of a
        relation read only from a model the API serves whole."""
        current = model
        for name in path.split("/"):
            if name in ("id", ".id"):
                break
            if current is None or name not in current._fields:
                owner = current._name if current is not None else model._name
                raise bad(400, f"{owner} has no field {name!r}.", "/fields", "unknown_field")
            field = current._fields[name]
            current = self.env[field.comodel_name] if field.relational else None
        try:
            self.api_request.check_export_path(model, path)
        except ApiError as error:
            raise bad(error.status, f"{path}: {error.detail}", "/fields",
                      error.error_code) from None

    def _check_export_right(self) -> None:
        """Refuse, as Odoo's export does, a caller without the export right: 403 (the
        caller's own right, also in the Superuser mode)."""
        user = self.api_request.user
        if not (user._is_admin() or user.has_group("base.group_allow_export")):
            raise ApiError(403, "This user may not export data: Odoo's export right "
                                "(Allow export) is missing.", code="export_not_allowed")

    def _export_records(self, model: BaseModel, params: dict) -> BaseModel:
        ids = params.get("ids")
        if ids:
            if not _is_id_list(ids):
                raise bad(400, "ids must be a list of record ids.", "/ids")
            records = model.browse(ids)
            self.api_request.check_records(records, "read")
            return records
        domain = params.get("domain") or []
        try:
            domain = filters.normalize_terms(domain, "the domain")
        except filters.FilterSyntaxError as error:
            raise bad(400, str(error), "/domain", "invalid_domain") from None
        domain = self._checked_domain(model, domain, {"pointer": "/domain"})
        access = self.api_request.access_domain(model)
        return model.search(expression.AND([domain, access]) if access else domain)

    # Reports -------------------------------------------------------------

    def post_report(self) -> Response:
        """Render an ``ir.actions.report`` and answer its content in base64."""
        params = self._action_params("report_ref")
        report_ref, res_ids = params.get("report_ref"), params.get("res_ids") or []
        converter, data = params.get("converter", "pdf"), params.get("data") or None
        if not isinstance(report_ref, str) or not report_ref:
            raise bad(400, "report_ref must be the XML id or the name of a report.",
                      "/report_ref")
        if not isinstance(converter, str) or converter not in REPORT_CONVERTERS:
            raise bad(400, "converter is pdf, html or text.", "/converter")
        if not _is_id_list(res_ids):
            raise bad(400, "res_ids must be a list of record ids.", "/res_ids")
        if data is not None and not isinstance(data, dict):
            raise bad(400, "data must be an object.", "/data")
        reports = self.env["ir.actions.report"]
        try:
            report = reports._get_report(report_ref)
        except ValueError:
            report = reports.browse()
        if not report.exists():
            raise bad(404, f"No report {report_ref!r}.", "/report_ref", "unknown_report")
        model = self.api_request.get_model(report.model, "read")
        self.api_request.check_records(model.browse(res_ids), "read")
        if converter == "pdf" and reports.get_wkhtmltopdf_state() == "install":
            raise ApiError(422, "No PDF engine (wkhtmltopdf) is installed on the server: "
                                "ask for the html converter instead.",
                           code="pdf_engine_unavailable", source={"pointer": "/converter"})
        method_name, mimetype = REPORT_CONVERTERS[converter]
        content, _kind = getattr(reports.with_env(model.env), method_name)(
            report.report_name, res_ids, data=data)
        if isinstance(content, str):
            content = content.encode()
        meta = {"report_name": report.report_name, "converter": converter,
                "mimetype": mimetype, "content": base64.b64encode(content).decode()}
        return self.respond({"meta": meta})

    # Files ---------------------------------------------------------------

    def download(self, record: BaseModel, field) -> Response:
        """Answer the raw content of a binary field."""
        value = record.with_context(bin_size=False)[field.name]
        if not value:
            raise ApiError(404, f"The field {field.name!r} holds no content.",
                           code="no_content")
        raw = base64.b64decode(value)
        if record._name == "ir.attachment" and field.name in ("datas", "raw"):
            mimetype, filename = record.mimetype, record.name
        else:
            mimetype = guess_mimetype(raw, default="application/octet-stream")
            extension = mimetypes.guess_extension(mimetype) or ".bin"
            filename = f"{record._name}-{record.id}-{field.name}{extension}"
        return Response(raw, headers={
            "Content-Type": mimetype or "application/octet-stream",
            "Content-Disposition": content_disposition(filename),
        })

    def put_file(self, model_name: str, record_id: int, member: str) -> Response:
        """Store an upload (multipart, raw body or base64 in ``meta.content``) in a binary
        field."""
        model = self.api_request.get_model(model_name, "write")
        record = self.fetch_record(model, record_id, "write")
        field = self.relation_field(model, member, "write")
        if field.type != "binary":
            raise ApiError(405, f"{member!r} is not a binary field.", code="not_a_file",
                           headers={"Allow": "GET"})
        limit = self.api.jsonapi_upload_max_size * 1024 * 1024
        length = self.httprequest.content_length or 0
        if limit and length > limit * 4 // 3 + 4096:
            raise ApiError(413, f"Uploads are limited to {limit} bytes.",
                           code="payload_too_large")
        raw = self._upload_content()
        if limit and len(raw) > limit:
            raise ApiError(413, f"Uploads are limited to {limit} bytes.",
                           code="payload_too_large")
        self.write_values(record, {field.name: base64.b64encode(raw)}, {}, "", record)
        return self.respond(self.document(record, False))

    def _upload_content(self) -> bytes:
        mimetype = self.httprequest.mimetype
        if mimetype == "multipart/form-data":
            files = list(self.httprequest.files.values())
            if not files:
                raise bad(400, "The multipart body holds no file.", "")
            return files[0].read()
        if mimetype in ("application/json", "application/vnd.api+json"):
            body = self.read_body()
            meta = body.get("meta")
            content = meta.get("content") if isinstance(meta, dict) else None
            if not isinstance(content, str):
                raise bad(400, "Send the content in base64 as meta.content.", "/meta/content")
            try:
                return base64.b64decode(content, validate=True)
            except ValueError:
                raise bad(422, "The content is not valid base64.", "/meta/content",
                          "invalid_value") from None
        return self.httprequest.get_data()
