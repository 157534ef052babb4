"""Which certificate signs: the configured PKCS#12 (always in production), else a development one that
every slip names as such."""

import asyncio
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization.pkcs12 import load_pkcs12
from pydantic import ValidationError

from services.slips.adapters.dev_certificate import (
    FILENAME,
    PASSWORD,
    ensure_development_certificate,
    self_signed_pkcs12,
)
from services.slips.adapters.signing import SlipSigner
from services.slips.domain.layout import render_slip
from services.slips.settings import SlipsSettings
from services.slips.tests.events import OWNER, new_dossier_id, received, submitted
from services.slips.tests.harness import start_slips, stop_slips
from services.slips.tests.test_layout import NOTE, content
from tests.support.slip_pdfs import pdf_text, verifies
from tests.support.waiting import eventually


def test_production_refuses_to_start_without_the_departments_certificate() -> None:
    with pytest.raises(ValidationError, match="SIGNING_CERTIFICATE_FILE"):
        SlipsSettings(environment="production")
    with pytest.raises(ValidationError, match="go together"):
        SlipsSettings(signing_certificate_file=Path("/run/secrets/certificate.p12"))


def test_the_development_certificate_is_made_once(tmp_path: Path) -> None:
    first = ensure_development_certificate(tmp_path).read_bytes()
    assert ensure_development_certificate(tmp_path).read_bytes() == first
    assert (tmp_path / FILENAME).stat().st_mode & 0o077 == 0, "the key is the run's only"


async def test_a_configured_certificate_signs_and_the_slip_says_no_development(tmp_path: Path) -> None:
    # Any PKCS#12 the operator gives: here one made as the development one is, under another name.
    configured = ensure_development_certificate(tmp_path / "operator")
    elsewhere = tmp_path / "unused"
    slips = await start_slips(elsewhere, signing_certificate_file=configured, signing_certificate_password=PASSWORD)
    try:
        dossier_id = new_dossier_id()
        await slips.publish(submitted(dossier_id), received(dossier_id))

        async def issued() -> bool:
            return (await slips.download(dossier_id, "receipt", owner_id=OWNER)).status_code == 200

        await eventually(issued, timeout=15, what="the receipt slip")
        pdf = (await slips.download(dossier_id, "receipt", owner_id=OWNER)).content
    finally:
        await stop_slips(slips)
    loaded = load_pkcs12(configured.read_bytes(), PASSWORD.encode())
    assert loaded.cert is not None
    assert await asyncio.to_thread(verifies, pdf, loaded.cert.certificate.public_bytes(Encoding.PEM))
    assert "CHỮ KÝ SỐ PHÁT TRIỂN" not in pdf_text(pdf)
    assert not elsewhere.exists(), "no development certificate when one is configured"


@pytest.mark.parametrize("key", [rsa.generate_private_key(public_exponent=65537, key_size=3072),
                                 ec.generate_private_key(ec.SECP256R1())], ids=["rsa", "ecdsa"])
def test_a_slip_signed_with_either_kind_of_key_verifies(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> None:
    # RSA is signed with the key parsed once (signing.py), anything else by pyHanko's own signer.
    signer = SlipSigner(self_signed_pkcs12(key), PASSWORD, development=True)
    signed = asyncio.run(signer.sign(render_slip(content(), NOTE), reason="Tiếp nhận", location="Sở Y tế"))
    assert verifies(signed, signer.certificate_pem)
