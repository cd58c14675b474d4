"""Running GİB's compiled e-Defter schematron (XSLT 2.0) with SaxonC-HE (PyPI ``saxonche``).

GIB-FORMATS §8: SaxonC-HE compiles GİB's stylesheets only with the optimiser off. The result document lists
each broken rule as an ``<Error>`` element with GİB's Turkish text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from app.formats.safe_xml import SAFE_PARSER_OPTIONS


@lru_cache(maxsize=1)
def _processor() -> Any:
    import saxonche

    processor = saxonche.PySaxonProcessor(license=False)
    processor.set_configuration_property("http://saxon.sf.net/feature/optimizationLevel", "0")
    return processor


@lru_cache(maxsize=12)
def _executable(stylesheet: str) -> Any:
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=stylesheet)


def run_schematron(stylesheet: Path, document: Path) -> list[str]:
    """GİB's messages for each rule ``document`` breaks (empty when it passes)."""
    output = _executable(str(stylesheet)).transform_to_string(source_file=str(document))
    if not output or not output.strip():
        return []
    root = etree.fromstring(output.encode("utf-8"), etree.XMLParser(**SAFE_PARSER_OPTIONS))
    return [" ".join("".join(e.itertext()).split()) for e in root.iter()
            if isinstance(e.tag, str) and etree.QName(e).localname == "Error"]
