"""The printing, QR image and catalogue modules stay usable without the web stack or OpenCV (CLI, wallet)."""

import subprocess
import sys


def test_printing_qr_images_and_catalogues_import_neither_flask_nor_opencv():
    code = ("import sys, pos.printing, pos.qrimage, pos.catalogue; "
            "print(sorted(m for m in ('flask', 'werkzeug', 'cv2', 'pos.web', 'wallet_app') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
