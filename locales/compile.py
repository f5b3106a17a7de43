"""Compile every locales/<lang>/LC_MESSAGES/messages.po into its .mo: `python -m locales.compile`."""

from __future__ import annotations

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from locales import DOMAIN, LOCALES_DIR


def compile_catalogs() -> list[str]:
    written = []
    for po_path in sorted(LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.append(str(po_path.with_suffix(".mo")))
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(path)
