"""The portal's form bodies, read as they stream in: text fields and uploads kept in memory only.

Starlette's own parser spools any upload over 1 MB to a temporary file on disk, so a phone
photo would reach the disk in clear, GPS and all, before its metadata is stripped and it is
sealed. Here uploads stay in memory, and the upload limits apply while the body arrives:
a body over the limits is refused with 413 at the first byte too many, not after it has
all been received. A request holds at most MAX_BODY_BYTES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qsl

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from redline.intake.uploads import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, Upload, UploadError

MAX_FIELD_BYTES: Final = 1024 * 1024
MAX_FIELDS: Final = 32
MAX_BODY_BYTES: Final = MAX_TOTAL_BYTES + 1024 * 1024  # files plus fields and multipart framing
FILE_FIELD: Final = "files"


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    content_type: str = ""
    data: bytearray = field(default_factory=bytearray)


@dataclass
class _Collector:
    """python-multipart's callbacks: parts into fields and uploads, limits as data arrives."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[Upload] = field(default_factory=list)
    part: _Part = field(default_factory=_Part)
    header_name: bytes = b""
    header_value: bytes = b""
    file_bytes: int = 0
    parts: int = 0

    def on_part_begin(self) -> None:
        self.part = _Part()
        self.parts += 1
        if self.parts > MAX_FIELDS + MAX_FILES:
            raise UploadError("too many form fields", 413)

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        name, value = self.header_name.lower(), self.header_value
        self.header_name = self.header_value = b""
        if name == b"content-disposition":
            _, options = parse_options_header(value)
            self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
            if b"filename" in options:
                self.part.filename = options[b"filename"].decode("utf-8", "replace")
        elif name == b"content-type":
            self.part.content_type = value.decode("latin-1")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        size = end - start
        if self.part.filename is None:
            if len(self.part.data) + size > MAX_FIELD_BYTES:
                raise UploadError("a form field is too long", 413)
        else:
            self.file_bytes += size
            if len(self.part.data) + size > MAX_FILE_BYTES:
                raise UploadError(f"a file is larger than {MAX_FILE_BYTES // 2**20} MB", 413)
            if self.file_bytes > MAX_TOTAL_BYTES:
                raise UploadError(f"at most {MAX_TOTAL_BYTES // 2**20} MB of files per report", 413)
        self.part.data += data[start:end]

    def on_part_end(self) -> None:
        part = self.part
        if part.filename is None:
            self.fields[part.name] = part.data.decode("utf-8", "replace")  # the last value wins, as in Starlette
        elif part.name == FILE_FIELD and (part.filename or part.data):  # browsers send an empty part for "no file"
            if len(self.files) >= MAX_FILES:
                raise UploadError(f"at most {MAX_FILES} files per report", 413)
            self.files.append(Upload(part.filename, part.content_type, bytes(part.data)))
        self.part = _Part()


async def read_form(request: Request) -> tuple[dict[str, str], list[Upload]]:
    """The body's text fields (the last value of each) and its uploads (the `files` field).

    UploadError (413) past a limit; UploadError (400) for a body that is not a form.
    """
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data":
        if kind != b"application/x-www-form-urlencoded":
            raise UploadError("send the form as multipart/form-data", 400)
        body = bytearray()
        async for chunk in request.stream():  # bounded even when sent chunked, without a length
            body += chunk
            if len(body) > MAX_FIELD_BYTES:
                raise UploadError("request too large", 413)
        try:
            pairs = parse_qsl(body.decode("ascii", "replace"), keep_blank_values=True, encoding="utf-8",
                              errors="replace", max_num_fields=MAX_FIELDS)
        except ValueError as exc:
            raise UploadError("too many form fields", 413) from exc
        return dict(pairs), []  # the last value of a repeated field wins
    boundary = options.get(b"boundary")
    if not boundary:
        raise UploadError("a multipart form without a boundary", 400)
    collector = _Collector()
    parser = MultipartParser(boundary, {
        "on_part_begin": collector.on_part_begin, "on_part_data": collector.on_part_data,
        "on_part_end": collector.on_part_end, "on_header_field": collector.on_header_field,
        "on_header_value": collector.on_header_value, "on_header_end": collector.on_header_end,
    })
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > MAX_BODY_BYTES:
                raise UploadError("request too large", 413)
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise UploadError("a malformed form", 400) from exc
    return collector.fields, collector.files

