"""Sending a stored file to the browser, its hash checked on the way out."""

from __future__ import annotations

from flask import Response, request, send_file

from app.storage import file_store


def send_stored(
    sha256: str, *, download_name: str, mimetype: str | None = None, as_attachment: bool = True,
) -> Response:
    """A streamed response of the stored file (``StoredFileMissing`` if absent: the caller says 404).

    ``Content-Length`` is the stored size and the ETag is the key, so ``If-None-Match`` gets a 304.
    No ranges: a part of a file cannot be checked. If the bytes on disk differ, the stream raises
    before its last chunk, the server drops the connection and the browser sees an incomplete download,
    never a complete wrong file. For ranges or ``X-Sendfile``, send ``LocalFileStore.verified_path``.
    """
    reader = file_store().open(sha256)
    try:
        response = send_file(reader, mimetype=mimetype, as_attachment=as_attachment, download_name=download_name,
                             conditional=False, etag=sha256)
        response.content_length = reader.size
        return response.make_conditional(request, accept_ranges=False)
    except BaseException:
        reader.close()
        raise
