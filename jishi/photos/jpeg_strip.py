"""Remove every metadata segment from a JPEG without re-encoding it (lossless and fast).

Kept: the frame, tables and scans, the JFIF header, the ICC colour profile and the Adobe
segment (it says how to read the colours). Dropped: EXIF (with GPS), XMP, IPTC, comments,
thumbnails and maker notes.
"""

from __future__ import annotations

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
KEEP = {0xE0: b"JFIF\0", 0xE2: b"ICC_PROFILE\0", 0xEE: b"Adobe"}  # APPn worth keeping


def _keep(marker: int, segment: bytes) -> bool:
    if marker == 0xFE or 0xE0 <= marker <= 0xEF:  # comment or application data
        prefix = KEEP.get(marker)
        return prefix is not None and segment[4:4 + len(prefix)] == prefix
    return True


def _scan_end(data: bytes, start: int) -> int:
    """Where the entropy-coded data after a scan header ends: the next real marker."""
    at = start
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            raise ValueError("the JPEG ends inside its image data")
        following = data[at + 1]
        if following == 0 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            at += 1  # stuffed byte, restart marker or fill: still image data
            continue
        return at


def strip(data: bytes) -> bytes:
    """The JPEG's bytes without metadata; raises ValueError when it is not a whole JPEG."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    out, at = [data[:2]], 2
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            raise ValueError(f"no JPEG marker at byte {at}")
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker == EOI:
            out.append(data[at:at + 2])
            return b"".join(out)
        end = at + 2 + int.from_bytes(data[at + 2:at + 4], "big")
        if end > len(data):
            raise ValueError("the JPEG ends inside a segment")
        if marker == SOS:
            end = _scan_end(data, end)
        if _keep(marker, data[at:end]):
            out.append(data[at:end])
        at = end
    raise ValueError("the JPEG has no end marker")
