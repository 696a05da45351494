"""Reading user files as text: encoding detection, binary refusal, clear errors."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024


def decode_bytes(data: bytes, name: str) -> str:
    """Decode file bytes: UTF-8 (with or without BOM), else the detected encoding."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name} looks like a binary file, not text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name} is not readable text in any encoding verify can detect.")
    return str(best)


def read_text_file(path: str | Path, what: str = "file",
                   max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> str:
    """The text of ``path``, or InputError naming the file and the reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"The {what} {path} does not exist.") from None
    if path.is_dir():
        raise InputError(f"The {what} {path} is a folder, not a file.")
    if size > max_bytes:
        raise InputError(f"The {what} {path} is {size / 2**20:.0f} MB, over the "
                         f"{max_bytes / 2**20:.0f} MB limit.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"The {what} {path} cannot be read: {exc.strerror}.") from None
    return decode_bytes(data, f"The {what} {path}")
