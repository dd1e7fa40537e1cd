#!/usr/bin/env python3
"""DSSE with Debian's python3-securesystemslib, for serfbort's interop tests.

Keys, signing and verification are securesystemslib's (Ed25519). Debian bookworm ships
securesystemslib 0.26, which has no `dsse` module yet, so the envelope and its
pre-authentication encoding are written here from the DSSE v1 spec, and signatures are
base64 in the envelope as the spec (and securesystemslib >= 0.28's Envelope) writes them.

  sslib_dsse.py keygen                      -> a securesystemslib Ed25519 key dict (JSON)
  sslib_dsse.py sign KEY.json STATEMENT     -> a DSSE envelope over the statement's exact bytes
  sslib_dsse.py verify PUBHEX ENVELOPE.json -> exit 0 and the statement's subjects when a
                                               signature by that key verifies (matched by keyid,
                                               as securesystemslib's verifiers match)
"""
import base64
import json
import sys

from securesystemslib import keys
from securesystemslib.signer import Signature, SSlibKey, SSlibSigner

PAYLOAD_TYPE = "application/vnd.in-toto+json"


def pae(payload_type: str, payload: bytes) -> bytes:
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def keygen() -> None:
    print(json.dumps(keys.generate_ed25519_key()))


def sign(key_path: str, statement_path: str) -> None:
    with open(key_path, encoding="utf-8") as f:
        key = json.load(f)
    with open(statement_path, "rb") as f:
        payload = f.read()
    signature = SSlibSigner(key).sign(pae(PAYLOAD_TYPE, payload))
    envelope = {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": PAYLOAD_TYPE,
        "signatures": [
            {
                "keyid": signature.keyid,
                "sig": base64.b64encode(bytes.fromhex(signature.signature)).decode("ascii"),
            }
        ],
    }
    print(json.dumps(envelope))


def verify(public_hex: str, envelope_path: str) -> int:
    metadata = keys.format_keyval_to_metadata("ed25519", "ed25519", {"public": public_hex})
    key_dict, _ = keys.format_metadata_to_key(metadata)
    key = SSlibKey.from_securesystemslib_key(key_dict)
    with open(envelope_path, encoding="utf-8") as f:
        envelope = json.load(f)
    if envelope.get("payloadType") != PAYLOAD_TYPE:
        print("wrong payload type", file=sys.stderr)
        return 1
    payload = base64.b64decode(envelope["payload"], validate=True)
    for entry in envelope.get("signatures", []):
        if entry.get("keyid") != key.keyid:
            continue
        sig_hex = base64.b64decode(entry["sig"], validate=True).hex()
        try:
            key.verify_signature(Signature(key.keyid, sig_hex), pae(PAYLOAD_TYPE, payload))
        except Exception as error:  # securesystemslib raises UnverifiedSignatureError
            print(f"signature does not verify: {error}", file=sys.stderr)
            return 1
        statement = json.loads(payload)
        print(json.dumps({"keyid": key.keyid, "subject": statement["subject"],
                          "predicateType": statement["predicateType"]}))
        return 0
    print(f"no signature with keyid {key.keyid}", file=sys.stderr)
    return 1


def main(argv: list) -> int:
    if argv[:1] == ["keygen"] and len(argv) == 1:
        keygen()
        return 0
    if argv[:1] == ["sign"] and len(argv) == 3:
        sign(argv[1], argv[2])
        return 0
    if argv[:1] == ["verify"] and len(argv) == 3:
        return verify(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
