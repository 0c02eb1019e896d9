"""qrpos wallet: scans payment QR codes and pays through the qrpos API."""
