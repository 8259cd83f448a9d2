"""The WeCom finance SDK (会话内容存档 C SDK) as Redline calls it, and the keys it needs.

`FinanceSdk` is the part of the SDK's interface the watcher uses: `GetChatData` (records by
`seq`, at most 1,000 a call), `DecryptData` (a message, with the random key the record's
`encrypt_random_key` hides under the organisation's RSA key of version `publickey_ver`) and
`GetMediaData` (a file, piece by piece). `CtypesSdk` binds the `.so` the organisation already
has (libWeWorkFinanceSdk_C.so); tests use a stand-in that replays a recorded archive.
`KeyRing` holds the private keys by version and rereads them when the configuration or a key
file changes, so a key rotation needs no restart.
"""

from __future__ import annotations

import base64
import ctypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import orjson

from redline.errors import ConfigError, InputError, SourceLocation

MAX_LIMIT = 1000  # GetChatData returns at most 1,000 records a call


class FinanceSdk(Protocol):
    """What the watcher calls; errors raise SdkError."""

    def get_chat_data(self, seq: int, limit: int, timeout: int) -> list[dict[str, Any]]: ...

    def decrypt_data(self, random_key: bytes, encrypt_chat_msg: str) -> str: ...

    def get_media_data(self, sdkfileid: str, index: str, timeout: int) -> tuple[bytes, str, bool]: ...


class SdkError(InputError):
    """The SDK returned an error code (network, auth, a record it cannot decrypt)."""


class KeyRing:
    """Private keys by `publickey_ver`, from PEM files; reread when a file changes."""

    def __init__(self, files: Mapping[int, Path]) -> None:
        self._files = dict(files)
        self._keys: dict[int, tuple[float, Any]] = {}

    def update(self, files: Mapping[int, Path]) -> None:
        """The configuration's current key files (a new version added, an old one kept)."""
        self._files = dict(files)

    def versions(self) -> list[int]:
        return sorted(self._files)

    def _key(self, version: int) -> Any:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        path = self._files.get(version)
        if path is None:
            raise SdkError(f"no private key for publickey_ver {version} (add it under [keys] in the configuration)",
                           SourceLocation("wecom"))
        mtime = path.stat().st_mtime
        cached = self._keys.get(version)
        if cached is None or cached[0] != mtime:
            cached = (mtime, load_pem_private_key(path.read_bytes(), password=None))
            self._keys[version] = cached
        return cached[1]

    def random_key(self, version: int, encrypt_random_key: str) -> bytes:
        """The record's random key: RSA PKCS#1 v1.5 decryption of its base64 text."""
        from cryptography.hazmat.primitives.asymmetric import padding

        try:
            return bytes(self._key(version).decrypt(base64.b64decode(encrypt_random_key), padding.PKCS1v15()))
        except ValueError as exc:
            raise SdkError(f"the key of publickey_ver {version} does not open this record: {exc}",
                           SourceLocation("wecom")) from exc


class _Slice(ctypes.Structure):
    _fields_ = [("buf", ctypes.c_char_p), ("len", ctypes.c_int)]


class _Media(ctypes.Structure):
    _fields_ = [("outindexbuf", ctypes.c_char_p), ("out_len", ctypes.c_int), ("data", ctypes.c_void_p),
                ("data_len", ctypes.c_int), ("is_finish", ctypes.c_int)]


class CtypesSdk:
    """The organisation's libWeWorkFinanceSdk_C.so through ctypes (not exercised by the tests:
    the library is not redistributable; the stand-in covers the interface)."""

    def __init__(self, library: Path, corpid: str, secret: str, proxy: str = "", proxy_password: str = "") -> None:
        try:
            self._lib = ctypes.CDLL(str(library))
        except OSError as exc:
            raise ConfigError(f"cannot load the WeCom finance SDK: {exc}", SourceLocation(library)) from exc
        lib = self._lib
        lib.NewSdk.restype = ctypes.c_void_p
        lib.NewSlice.restype = ctypes.POINTER(_Slice)
        lib.NewMediaData.restype = ctypes.POINTER(_Media)
        lib.GetChatData.argtypes = [ctypes.c_void_p, ctypes.c_ulonglong, ctypes.c_uint, ctypes.c_char_p,
                                    ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(_Slice)]
        lib.DecryptData.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(_Slice)]
        lib.GetMediaData.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                     ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(_Media)]
        self._sdk = lib.NewSdk()
        code = lib.Init(ctypes.c_void_p(self._sdk), corpid.encode(), secret.encode())
        if code != 0:
            raise ConfigError(f"WeCom finance SDK Init failed with code {code}", SourceLocation(library))
        self._proxy, self._password = proxy.encode(), proxy_password.encode()

    def _slice_call(self, call: Any, *args: Any) -> bytes:
        out = self._lib.NewSlice()
        try:
            code = call(*args, out)
            if code != 0:
                raise SdkError(f"WeCom finance SDK error {code}", SourceLocation("wecom"))
            return ctypes.string_at(out.contents.buf, out.contents.len)
        finally:
            self._lib.FreeSlice(out)

    def get_chat_data(self, seq: int, limit: int, timeout: int) -> list[dict[str, Any]]:
        raw = self._slice_call(self._lib.GetChatData, ctypes.c_void_p(self._sdk), seq, min(limit, MAX_LIMIT),
                               self._proxy, self._password, timeout)
        reply = orjson.loads(raw)
        if reply.get("errcode", 0) != 0:
            raise SdkError(f"GetChatData: {reply.get('errcode')} {reply.get('errmsg', '')}", SourceLocation("wecom"))
        return list(reply.get("chatdata") or [])

    def decrypt_data(self, random_key: bytes, encrypt_chat_msg: str) -> str:
        return self._slice_call(self._lib.DecryptData, random_key, encrypt_chat_msg.encode()).decode("utf-8")

    def get_media_data(self, sdkfileid: str, index: str, timeout: int) -> tuple[bytes, str, bool]:
        media = self._lib.NewMediaData()
        try:
            code = self._lib.GetMediaData(ctypes.c_void_p(self._sdk), index.encode(), sdkfileid.encode(),
                                          self._proxy, self._password, timeout, media)
            if code != 0:
                raise SdkError(f"GetMediaData error {code}", SourceLocation("wecom"))
            m = media.contents
            data = ctypes.string_at(m.data, m.data_len)
            return data, ctypes.string_at(m.outindexbuf, m.out_len).decode(), bool(m.is_finish)
        finally:
            self._lib.FreeMediaData(media)
