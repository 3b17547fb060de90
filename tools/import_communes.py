"""Import the communes of the Territoire de Belfort (90) from the official open dataset.

Run: .venv/bin/python tools/import_communes.py [--tarball PATH]

The data come from the npm package ``@etalab/decoupage-administratif`` at a
pinned version (built by Etalab from INSEE's Code officiel géographique, the
DGCL list of EPCI and La Poste's postcode base). The package is fetched with
``npm pack`` into a temporary directory, so no package.json or node_modules is
created in the repository. ``--tarball`` reuses an already downloaded tarball
(useful offline; the checksum is still verified).

Writes content/communes/communes-90.json. The dataset has no commune-centre
coordinates, so none are written (the sector derivation uses postcodes and
intercommunalities instead; see tools/communes/derive_sectors.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import base64
import hashlib
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"  # millésime 2026 (COG au 1er janvier 2026)
# Integrity of the tarball as published on the npm registry for VERSION
# (`npm view PACKAGE@VERSION dist.integrity`). Pinned here so that a
# republished or altered package stops the import instead of changing the data.
INTEGRITY = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="

DEPARTEMENT = "90"
EXPECTED_COUNT = 101
REPO = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = REPO / "content" / "communes" / "communes-90.json"


def fetch_tarball(workdir: pathlib.Path) -> pathlib.Path:
    out = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(workdir)],
        check=True, capture_output=True, text=True, cwd=workdir,
    )
    name = out.stdout.strip().splitlines()[-1]
    return workdir / name


def check_integrity(tarball: pathlib.Path, integrity: str) -> None:
    algo, _, expected = integrity.partition("-")
    if algo != "sha512":
        raise SystemExit(f"unexpected integrity algorithm: {integrity}")
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{tarball} does not match the registry integrity {integrity}")


def read_json_member(tar: tarfile.TarFile, name: str):
    member = tar.extractfile(f"package/{name}")
    if member is None:
        raise SystemExit(f"{name} missing from the package")
    return json.load(member)


def build(communes: list[dict], epcis: list[dict], package_json: dict) -> dict:
    epci_of: dict[str, dict] = {}
    for epci in epcis:
        for member in epci.get("membres", []):
            if member["code"].startswith(DEPARTEMENT):
                epci_of[member["code"]] = {"code": epci["code"], "name": epci["nom"], "type": epci["type"]}

    rows = []
    for c in communes:
        # Only current communes: the dataset also lists "commune déléguée" and
        # "commune associée" entries that are not municipalities any more.
        if c.get("departement") != DEPARTEMENT or c.get("type") != "commune-actuelle":
            continue
        epci = epci_of.get(c["code"])
        if epci is None:
            raise SystemExit(f"commune {c['code']} {c['nom']} has no EPCI in the dataset")
        rows.append({
            "insee": c["code"],
            "name": c["nom"],
            "postcodes": sorted(c.get("codesPostaux", [])),
            "epci": epci,
            "population": c.get("population"),
        })
    rows.sort(key=lambda r: r["insee"])
    if len(rows) != EXPECTED_COUNT:
        raise SystemExit(f"expected {EXPECTED_COUNT} communes in {DEPARTEMENT}, got {len(rows)}")
    return {
        "dataset": {
            "name": PACKAGE,
            "version": package_json.get("version", VERSION),
            "licence": "Données : Licence Ouverte (Etalab) ; code : MIT",
            "licence_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
            "sources": [
                "INSEE, Code officiel géographique (https://insee.fr/fr/information/2560452)",
                "DGCL, liste et composition des EPCI à fiscalité propre",
                "La Poste, base officielle des codes postaux",
            ],
            "repository": package_json.get("repository"),
            "imported_on": dt.date.today().isoformat(),
            "import_command": ".venv/bin/python tools/import_communes.py",
            "coordinates": None,
            "coordinates_note": "The dataset has no commune-centre coordinates.",
        },
        "departement": DEPARTEMENT,
        "count": len(rows),
        "communes": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=pathlib.Path, help="use this npm tarball instead of fetching it")
    parser.add_argument("--output", type=pathlib.Path, default=OUTPUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="communes-") as tmp:
        tarball = args.tarball or fetch_tarball(pathlib.Path(tmp))
        check_integrity(tarball, INTEGRITY)
        with tarfile.open(tarball, "r:gz") as tar:
            package_json = read_json_member(tar, "package.json")
            if package_json.get("version") != VERSION:
                raise SystemExit(f"tarball is version {package_json.get('version')}, expected {VERSION}")
            data = build(
                read_json_member(tar, "data/communes.json"),
                read_json_member(tar, "data/epci.json"),
                package_json,
            )

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {data['count']} communes to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
