"""A stand-in of the WeCom finance SDK's interface that replays a recorded archive.

The recording is JSON: `{"records": [{"seq", "publickey_ver", "message"}…], "media": {sdkfileid: base64},
"fail_chat_calls": [call numbers], "fail_media": [sdkfileid…], "slow_media": {sdkfileid: seconds}}`.
Records are really encrypted as the SDK delivers them: a random key under the RSA public key
of the record's version (PKCS#1 v1.5), the message under that key (AES-GCM here; the real
SDK's own cipher stays inside its DecryptData). Media come in pieces of `PIECE` bytes.
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path
from typing import Any, Final

import orjson
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from redline.pipeline.wecom import WecomConfig
from redline.pipeline.wecom_sdk import SdkError

PIECE: Final = 1024


def new_key(path: Path) -> rsa.RSAPrivateKey:
    """A fresh 2048-bit key written to `path` as PEM (as the organisation keeps it)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


def seal(message: dict[str, Any], seq: int, version: int, key: rsa.RSAPrivateKey) -> dict[str, Any]:
    """One chatdata record as GetChatData returns it."""
    random_key = AESGCM.generate_key(bit_length=128)
    nonce = os.urandom(12)
    box = nonce + AESGCM(random_key).encrypt(nonce, orjson.dumps(message), None)
    return {"seq": seq, "msgid": message["msgid"], "publickey_ver": version,
            "encrypt_random_key": base64.b64encode(key.public_key().encrypt(random_key, padding.PKCS1v15())).decode(),
            "encrypt_chat_msg": base64.b64encode(box).decode()}


class StandInSdk:
    """Replays `recording` (records already sealed) with its failures."""

    def __init__(self, recording: Path) -> None:
        self.recording = recording
        self.chat_calls = 0
        self.limits: list[int] = []

    def _data(self) -> dict[str, Any]:
        # reread each call: a test appends records while the watcher runs
        data: dict[str, Any] = orjson.loads(self.recording.read_bytes())
        return data

    def get_chat_data(self, seq: int, limit: int, timeout: int) -> list[dict[str, Any]]:
        self.chat_calls += 1
        self.limits.append(limit)
        data = self._data()
        if self.chat_calls in data.get("fail_chat_calls", []):
            raise SdkError("GetChatData: 10001 network error (stand-in)")
        return [r for r in data["records"] if r["seq"] > seq][:limit]

    def decrypt_data(self, random_key: bytes, encrypt_chat_msg: str) -> str:
        box = base64.b64decode(encrypt_chat_msg)
        return AESGCM(random_key).decrypt(box[:12], box[12:], None).decode("utf-8")

    def get_media_data(self, sdkfileid: str, index: str, timeout: int) -> tuple[bytes, str, bool]:
        data = self._data()
        time.sleep(float(data.get("slow_media", {}).get(sdkfileid, 0)))
        if sdkfileid in data.get("fail_media", []):
            raise SdkError("GetMediaData: 10010 file expired (stand-in)")
        content = base64.b64decode(data["media"][sdkfileid])
        start = int(index or 0)
        end = start + PIECE
        return content[start:end], str(end), end >= len(content)


def factory(config: WecomConfig) -> StandInSdk:
    """What `sdk = "python:tests.pipeline.wecom_standin:factory"` names: the recording beside the config."""
    return StandInSdk(config.path.parent / "recording.json")
