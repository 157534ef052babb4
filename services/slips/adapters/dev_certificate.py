"""The development signing certificate: self-signed, created once per data folder, for runs without the
Department's certificate (never in production, which refuses to start without one)."""

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

FILENAME = "hoso-dev-signing.p12"
# Not a secret: the certificate is a development one, and every slip it signs says so.
PASSWORD = "hoso-phat-trien"
SUBJECT = "Sở Y tế (chứng thư số phát triển)"


def ensure_development_certificate(folder: Path) -> Path:
    """The development PKCS#12 in `folder`, created on first use; written whole or not at all."""
    path = folder / FILENAME
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{FILENAME}.{os.getpid()}"
    partial.write_bytes(_new_pkcs12())
    partial.chmod(0o600)
    os.replace(partial, path)  # a second process that raced us replaces it with an equally good one
    return path


def _new_pkcs12() -> bytes:
    return self_signed_pkcs12(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def self_signed_pkcs12(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    """A PKCS#12 of `key` and a certificate of the development subject it signs itself, under PASSWORD."""
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Y tế"),
                      x509.NameAttribute(NameOID.COMMON_NAME, SUBJECT)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(
        b"hoso-dev", key, certificate, None, serialization.BestAvailableEncryption(PASSWORD.encode()))
