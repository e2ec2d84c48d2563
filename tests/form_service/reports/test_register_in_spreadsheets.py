"""The register offered to people keeps every ID and phone number exactly in a spreadsheet.

LibreOffice, headless, opens the downloaded file as a person's spreadsheet would and writes what
it read as CSV: every ID number (with X, from a 15-digit card, any leading digits) and every phone
number must come back character for character.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

from flask.testing import FlaskClient

from tests.support.pages import Applicant
from tests.support.people import id_number, person_name
from tests.support.services import missing
from tests.support.staff import Staff, text_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The people of the test: ID numbers as typed, the 18-character number kept, and a phone each.
TYPED = [
    ("11010519491231002X", "11010519491231002X", "13000000001"),
    ("310104750312201", "310104197503122014", "13900000002"),  # first-generation card
    ("310108198912238536", "310108198912238536", "15800000003"),
    (id_number("310110", "20000229", 7), id_number("310110", "20000229", 7), "18600000000"),
    (id_number("110108", "19600101", 0), id_number("110108", "19600101", 0), "17700000400"),
]


def _soffice_csv(xlsx: Path, out: Path) -> list[list[str]]:
    """Convert with LibreOffice headless (its own profile, so parallel runs do not collide)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        missing("LibreOffice is not installed (apt-get install -y libreoffice-calc-nogui)")
    profile = (out / "profile").as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out), str(xlsx)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    converted = out / (xlsx.stem + ".csv")
    assert converted.is_file(), done.stderr.decode(errors="replace")
    with converted.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_the_register_offered_is_xlsx_and_libreoffice_keeps_every_id_and_phone(
    client: FlaskClient, yangpu: Staff, tmp_path: Path
) -> None:
    for n, (typed, _kept, phone) in enumerate(TYPED):
        Applicant(client).apply("jobseeker", id_number=typed, name=person_name(n), phone=phone)
    # The form as offered: nothing chosen but the unit and the people.
    response = yangpu.post("/staff/register", {"unit": "yangpu", "kind": "all"})
    assert response.status_code == 200
    assert response.mimetype == XLSX
    xlsx = tmp_path / "register.xlsx"
    xlsx.write_bytes(response.get_data())

    rows = _soffice_csv(xlsx, tmp_path)
    header = next(row for row in rows if "身份证号" in row)
    at_id, at_phone = header.index("身份证号"), header.index("联系电话")
    people = rows[rows.index(header) + 1 :]
    found = sorted((row[at_id], row[at_phone]) for row in people if row[at_id])
    assert found == sorted((kept, phone) for _typed, kept, phone in TYPED)


def test_the_csv_is_offered_for_machine_import_only_and_is_not_the_default(yangpu: Staff) -> None:
    page = yangpu.get("/staff/register")
    html = page.get_data(as_text=True)
    assert 'value="xlsx" id="format" checked' in html
    assert 'value="csv" id="format-csv" aria-describedby="csv-warning">' in html
    words = text_of(page)
    assert "CSV(UTF-8,仅供导入其他系统)" in words
    assert (
        "CSV 只用于导入全总帮扶系统等程序,不要双击打开:Excel、WPS 会把 18 位身份证号变成 "
        "3.10108198912239E+17 这样的数字,并去掉编号开头的 0,保存后原号码就丢失了。"
    ) in words
    csv_file = yangpu.post("/staff/register", {"unit": "yangpu", "kind": "all", "format": "csv"})
    assert csv_file.mimetype == "text/csv"
