"""Why a scan found no payment code; each error has a stable ``code`` like the API's.

    ScanError                  base class: nothing to pay was read
    ├── SourceUnavailable      SOURCE_UNAVAILABLE: no such file, not an image or video, no camera,
    │                          a stream that cannot be reached or sends no frame
    └── NoCodeFound            NO_CODE_FOUND: frames were read within the bounds, none held a QR code
"""

from __future__ import annotations


class ScanError(Exception):
    """Base of the scanner's errors."""

    code = "SCAN_FAILED"


class SourceUnavailable(ScanError):
    code = "SOURCE_UNAVAILABLE"


class NoCodeFound(ScanError):
    code = "NO_CODE_FOUND"
