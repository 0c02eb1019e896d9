#!/usr/bin/env python3
"""Make the two CJK fonts the PDFs embed, as small subsets committed under assets/fonts/.

* ``qrpos-gothic-jp.ttf``: IPAexGothic 004.01 (IPA Font License v1.0), cut to JIS X 0208 plus Latin and
  currency signs. The IPA licence forbids a derived font to carry the original's name, so the subset is
  renamed; to use the original instead, put ``ipaexg.ttf`` (Debian: fonts-ipaexfont-gothic) in its place.
* ``NotoSansSC-Regular-subset.ttf``: Noto Sans SC Regular 2.004, static TrueType (SIL OFL 1.1; npm
  ``@expo-google-fonts/noto-sans-sc``), cut to GB 2312 plus the same Latin and symbols.

Both keep TrueType outlines (fpdf2 embeds them; CFF fonts extract badly) and drop hinting and layout tables
that a printed receipt does not use. Run with no arguments to fetch the originals (``apt-get download`` and
``npm pack``, checked by SHA-256), or pass ``--ipaex FILE --noto FILE``.

    python scripts/subset_fonts.py [--ipaex ipaexg.ttf] [--noto NotoSansSC_400Regular.ttf]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import tarfile
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "assets" / "fonts"
#: SHA-256 of the originals the committed subsets were made from.
ORIGINALS = {
    "ipaex": "3b9955a5e437ffb24c41548e79296fa724822da21ee75dc1b94f6ccdb8f400dd",  # ipaexg.ttf 004.01
    "noto": "d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16",  # NotoSansSC_400Regular 2.004
}
NOTO_NPM = "@expo-google-fonts/noto-sans-sc@0.4.3"
NOTO_MEMBER = "package/400Regular/NotoSansSC_400Regular.ttf"

#: Code point ranges both fonts keep besides their national character set.
COMMON_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1 supplement and Latin Extended-A (names such as José, Łódź)
    (0x2000, 0x206F),  # general punctuation (dashes, quotes, ellipsis, bullets)
    (0x20A0, 0x20CF),  # currency signs (€, ₩, ₫...)
    (0x2100, 0x214F),  # letterlike symbols (№, ℃, ™)
    (0x2190, 0x2193),  # arrows
    (0x2212, 0x2212),  # minus sign
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # hiragana and katakana
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0xFFE0, 0xFFE6),  # full-width currency signs (￥ as Babel's ja_JP prints it)
]


def national_set(codec: str, last_row: int) -> set[int]:
    """Every character of a two-byte EUC table: JIS X 0208 (``euc_jp``) or GB 2312 (``gb2312``)."""
    chars: set[int] = set()
    for row in range(0xA1, last_row + 1):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([row, cell]).decode(codec)))
            except UnicodeDecodeError:
                continue
    return chars


def common_set() -> set[int]:
    return {cp for lo, hi in COMMON_RANGES for cp in range(lo, hi + 1)}


def rename(font: TTFont, family: str, postscript: str, note: str) -> None:
    """Give a derived font its own family name (IPA licence, article 3.1(4)) and say where it came from."""
    name = font["name"]
    for record in list(name.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            name.removeNames(nameID=record.nameID)
    name.setName(family, 1, 3, 1, 0x409)
    name.setName(f"{family} Regular", 4, 3, 1, 0x409)
    name.setName(f"{postscript};subset", 3, 3, 1, 0x409)
    name.setName(postscript, 6, 3, 1, 0x409)
    name.setName(note, 10, 3, 1, 0x409)


def make_subset(source: Path, unicodes: set[int]) -> tuple[TTFont, int]:
    """Cut ``source`` to the characters of ``unicodes`` it has; return the font and how many it kept."""
    options = subset.Options()
    options.hinting = False  # printers and PDF viewers rasterise at high resolution
    options.layout_features = []  # no shaping: fpdf2 maps code points straight to glyphs
    options.drop_tables += ["vhea", "vmtx", "BASE", "GSUB", "GPOS", "GDEF", "STAT", "gasp"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(source, recalcTimestamp=False)  # the same input makes the same bytes
    kept = unicodes & set(font.getBestCmap())
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    return font, len(kept)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_originals(work: Path) -> tuple[Path, Path]:
    """Download the original fonts with the ordinary package clients (apt and npm)."""
    subprocess.run(["apt-get", "download", "fonts-ipaexfont-gothic"], cwd=work, check=True)
    deb = next(work.glob("fonts-ipaexfont-gothic_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), "ipaex"], cwd=work, check=True)
    ipaex = work / "ipaex/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
    subprocess.run(["npm", "pack", NOTO_NPM], cwd=work, check=True, capture_output=True)
    tgz = next(work.glob("expo-google-fonts-noto-sans-sc-*.tgz"))
    with tarfile.open(tgz) as archive:
        archive.extract(NOTO_MEMBER, work, filter="data")
    return ipaex, work / NOTO_MEMBER


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ipaex", type=Path, help="IPAexGothic ipaexg.ttf (default: apt-get download)")
    parser.add_argument("--noto", type=Path, help="NotoSansSC_400Regular.ttf (default: npm pack)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ipaex, noto = (args.ipaex, args.noto) if args.ipaex and args.noto else fetch_originals(Path(tmp))
        for path, expected in ((ipaex, ORIGINALS["ipaex"]), (noto, ORIGINALS["noto"])):
            if sha256(path) != expected:
                raise SystemExit(f"{path}: unexpected SHA-256 {sha256(path)} (expected {expected})")
        jp = national_set("euc_jp", 0xF4) | common_set()
        sc = national_set("gb2312", 0xF7) | common_set()
        OUT.mkdir(parents=True, exist_ok=True)
        font, kept = make_subset(ipaex, jp)
        rename(font, "Qrpos Gothic JP", "QrposGothicJP-Regular",
               "A subset of IPAexGothic 004.01 (JIS X 0208, Latin, currency signs) made by qrpos "
               "scripts/subset_fonts.py; licensed under the IPA Font License v1.0.")
        font.save(OUT / "qrpos-gothic-jp.ttf")
        report("qrpos-gothic-jp.ttf", kept)
        font, kept = make_subset(noto, sc)
        font.save(OUT / "NotoSansSC-Regular-subset.ttf")
        report("NotoSansSC-Regular-subset.ttf", kept)


def report(name: str, kept: int) -> None:
    print(f"{name}: {kept} characters, {(OUT / name).stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
