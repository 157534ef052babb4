"""The Department's digital signature on a slip (PAdES, with pyHanko), from a PKCS#12 file and password.

The signature covers the whole file: changing one byte of the signed PDF makes it fail verification.
Signing is CPU work, so it runs in a thread and the event loop keeps serving meanwhile.
"""

import asyncio
from io import BytesIO
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization.pkcs12 import load_pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

FIELD = "ChuKySoSoYTe"


class SlipSigner:
    def __init__(self, pkcs12: bytes, password: str, *, development: bool) -> None:
        loaded = load_pkcs12(pkcs12, password.encode())
        if loaded.cert is None:
            raise ValueError("the PKCS#12 file holds no certificate")
        self.development = development
        names = loaded.cert.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        self.subject = str(names[0].value) if names else loaded.cert.certificate.subject.rfc4514_string()
        self.certificate_pem = loaded.cert.certificate.public_bytes(Encoding.PEM)
        self._signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=(), passphrase=password.encode())

    @classmethod
    def from_file(cls, path: Path, password: str, *, development: bool = False) -> "SlipSigner":
        return cls(path.read_bytes(), password, development=development)

    async def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        return await asyncio.to_thread(self._sign, pdf, reason, location)

    def _sign(self, pdf: bytes, reason: str, location: str) -> bytes:
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location,
            md_algorithm="sha256")
        output = BytesIO()
        # An invisible field: the slip draws its own signature note, in its own font, in its signature block.
        signers.PdfSigner(metadata, signer=self._signer, new_field_spec=fields.SigFieldSpec(FIELD)).sign_pdf(
            IncrementalPdfFileWriter(BytesIO(pdf)), output=output)
        return output.getvalue()
