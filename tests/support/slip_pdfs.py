"""Checking a slip as a citizen's tools would: its signature against a certificate (pyHanko), its text
(poppler's pdftotext) and how it looks (pdftoppm, an image under test-artifacts/screenshots).

Poppler is Debian's `poppler-utils`, which `make test` installs when missing; without it these tests
skip loudly, and fail under CI=true.
"""

import os
import shutil
import subprocess
import warnings
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from tests.support.browser import SCREENSHOTS


def require_poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdftoppm") if shutil.which(tool) is None]
    if not missing:
        return
    problem = (f"{', '.join(missing)} missing: install Debian's poppler-utils (`apt-get install poppler-utils`, "
               "which `make test` does when it runs as root)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"slip rendering tests cannot run: {problem}")
    warnings.warn(f"SKIPPING slip rendering tests: {problem}", stacklevel=2)
    pytest.skip(f"SKIPPED, NOT RUN: {problem}")


def signature_status(pdf: bytes, certificate_pem: bytes) -> PdfSignatureStatus:
    """The first signature's status, trusting only `certificate_pem` (the configured certificate)."""
    _kind, _headers, der = pem.unarmor(certificate_pem)
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(der)])
    signatures = PdfFileReader(BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1, f"{len(signatures)} signatures"
    return validate_pdf_signature(signatures[0], context)


def verifies(pdf: bytes, certificate_pem: bytes) -> bool:
    """Intact, valid, trusted, and covering the whole file; a PDF that cannot even be read does not verify.

    Synchronous (pyHanko runs its own event loop): from an async test, `await asyncio.to_thread(verifies, …)`."""
    try:
        status = signature_status(pdf, certificate_pem)
    except Exception:  # a damaged file is a failed verification, whatever pyHanko calls it
        return False
    return bool(status.bottom_line and status.coverage is not None and status.coverage.name == "ENTIRE_FILE")


def pdf_text(pdf: bytes) -> str:
    """The text as copying it out of the PDF gives it, every run of white space (a wrapped line) one space."""
    require_poppler()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")
    return " ".join(text.split())


def save_png(pdf: bytes, name: str) -> Path:
    """Page one as a PNG under test-artifacts/screenshots/ (`name` without the extension)."""
    require_poppler()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = SCREENSHOTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", "-", str(prefix)],
                   input=pdf, check=True, timeout=60)
    return prefix.with_suffix(".png")
