"""The Department's digital signature on a slip (PAdES, with pyHanko), from a PKCS#12 file and password.

The signature covers the whole file: changing one byte of the signed PDF makes it fail verification.
Signing is CPU work, so it runs in a thread and the event loop keeps serving meanwhile.
"""

import asyncio
from io import BytesIO
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization.pkcs12 import load_pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

FIELD = "ChuKySoSoYTe"
DIGESTS: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class SlipSigner:
    def __init__(self, pkcs12: bytes, password: str, *, development: bool) -> None:
        loaded = load_pkcs12(pkcs12, password.encode())
        if loaded.cert is None:
            raise ValueError("the PKCS#12 file holds no certificate")
        self.development = development
        names = loaded.cert.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        self.subject = str(names[0].value) if names else loaded.cert.certificate.subject.rfc4514_string()
        self.certificate_pem = loaded.cert.certificate.public_bytes(Encoding.PEM)
        loaded_by_pyhanko = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=(), passphrase=password.encode())
        self._signer: signers.SimpleSigner = (
            _KeyParsedOnce(loaded_by_pyhanko, loaded.key) if isinstance(loaded.key, RSAPrivateKey)
            else loaded_by_pyhanko)

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


class _KeyParsedOnce(signers.SimpleSigner):
    """pyHanko's signer with an RSA key parsed once, not at every signature.

    pyHanko's SimpleSigner parses its private key from DER for each signature it makes, and OpenSSL checks
    an RSA key's primes as it parses it: about 35 ms, twice a slip (pyHanko signs once more to size the
    signature's room in the PDF). Here the key is the one parsed from the PKCS#12, and the sizing signature
    is placeholder bytes as long as a real one (what pyHanko's `dry_run` asks for). Any mechanism but RSA
    PKCS#1 v1.5 with a SHA-2 digest is left to pyHanko.
    """

    def __init__(self, loaded: signers.SimpleSigner, key: RSAPrivateKey) -> None:
        super().__init__(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key,
                         cert_registry=loaded.cert_registry, signature_mechanism=loaded.signature_mechanism)
        self._key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run:
            return bytes(self._key.key_size // 8)
        return self.sign_raw(data, digest_algorithm)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15" or digest_algorithm not in DIGESTS:
            return super().sign_raw(data, digest_algorithm)
        return self._key.sign(data, PKCS1v15(), DIGESTS[digest_algorithm]())
