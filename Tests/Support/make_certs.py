#!/usr/bin/env python3
"""Writes test certificates into DIR: a CA, and leaves signed by it or by themselves.

ca.pem               the test CA (give it to --ca-file)
good.pem/.key        localhost, 127.0.0.1, ::1, signed by the CA, valid now
wrongname.pem/.key   only for mail.other.invalid, signed by the CA
expired.pem/.key     localhost, signed by the CA, expired 30 days ago
selfsigned.pem/.key  localhost, signed by itself
"""
import datetime, ipaddress, os, sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
now = datetime.datetime.now(datetime.timezone.utc)


def key():
    return ec.generate_private_key(ec.SECP256R1())


def write(name, cert, private):
    with open(os.path.join(out, name + ".pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    if private is not None:
        with open(os.path.join(out, name + ".key"), "wb") as f:
            f.write(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))


def build(subject_cn, names, issuer_name, issuer_key, public_key, not_before, not_after, ca=False):
    b = (x509.CertificateBuilder()
         .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)]))
         .issuer_name(issuer_name)
         .public_key(public_key)
         .serial_number(x509.random_serial_number())
         .not_valid_before(not_before)
         .not_valid_after(not_after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if names:
        b = b.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


local_names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
               x509.IPAddress(ipaddress.ip_address("::1"))]
ca_key = key()
ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mailtui Test CA")])
ca = build("mailtui Test CA", None, ca_name, ca_key, ca_key.public_key(), now - datetime.timedelta(days=1),
           now + datetime.timedelta(days=30), ca=True)
write("ca", ca, ca_key)

for name, cn, names, start, end in [
    ("good", "localhost", local_names, now - datetime.timedelta(days=1), now + datetime.timedelta(days=20)),
    ("wrongname", "mail.other.invalid", [x509.DNSName("mail.other.invalid"), x509.DNSName("smtp.other.invalid")],
     now - datetime.timedelta(days=1), now + datetime.timedelta(days=20)),
    ("expired", "localhost", local_names, now - datetime.timedelta(days=60), now - datetime.timedelta(days=30)),
]:
    k = key()
    write(name, build(cn, names, ca_name, ca_key, k.public_key(), start, end), k)

k = key()
self_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
write("selfsigned", build("localhost", local_names, self_name, k, k.public_key(), now - datetime.timedelta(days=1),
                          now + datetime.timedelta(days=20)), k)
