"""GİB's own checks on generated files: edefter.xsd (lxml) and the compiled schematron (SaxonC-HE, optimiser off).

Both live in ../shared/gib/edefter; a test using them is skipped, with the reason shown, where they are absent.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

GIB_EDEFTER = Path(__file__).resolve().parents[3] / "shared" / "gib" / "edefter"
XSD = GIB_EDEFTER / "xsd" / "edefter.xsd"
SCHEMATRON = GIB_EDEFTER / "schematron"


def require_gib_package() -> None:
    if not XSD.exists() or not SCHEMATRON.exists():
        pytest.skip(f"GİB's e-Defter package is not on this machine ({GIB_EDEFTER}): XSD/schematron checks skipped")


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD), etree.XMLParser(no_network=True)))


def xsd_errors(path: Path) -> list[str]:
    """GİB's edefter.xsd on the whole file (signature included)."""
    require_gib_package()
    schema = _schema()
    if schema.validate(etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True))):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


@lru_cache(maxsize=8)
def _executable(name: str):  # type: ignore[no-untyped-def]
    saxonche = pytest.importorskip("saxonche", reason="saxonche (SaxonC-HE) is needed to run GİB's schematron")
    processor = _processor(saxonche)
    compiler = processor.new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(SCHEMATRON / name))


_PROCESSORS: list[object] = []


def _processor(saxonche):  # type: ignore[no-untyped-def]
    if not _PROCESSORS:
        processor = saxonche.PySaxonProcessor(license=False)
        processor.set_configuration_property("http://saxon.sf.net/feature/optimizationLevel", "0")
        _PROCESSORS.append(processor)
    return _PROCESSORS[0]


def schematron_errors(path: Path, stylesheet: str) -> list[str]:
    """The <Error> texts GİB's compiled schematron (e.g. ``edefter_yevmiye_with_ds.xsl``) reports for a file."""
    require_gib_package()
    output = _executable(stylesheet).transform_to_string(source_file=str(path))
    root = etree.fromstring(output.encode()) if output and output.strip() else None
    if root is None:
        return []
    return [" ".join("".join(e.itertext()).split()) for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("Error")]
