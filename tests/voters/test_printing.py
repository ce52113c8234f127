"""The posted list (Mẫu số 31/HĐBC) as PDF: Vietnamese text, the law's order, no national IDs."""

import shutil
import subprocess

import pytest

from tests.voters.conftest import WORLD_ROWS
from voters.printing import voter_list_pdf

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@needs_pdftotext
def test_posted_list_pdf(listed, tmp_path):
    pdf = voter_list_pdf(listed.units["U1"])
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Mẫu số 31/HĐBC" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "DANH SÁCH CỬ TRI" in text
    assert text.index("Nguyễn Văn An") < text.index("Trần Thị Bình") < text.index("Lê Văn Cường")
    assert "Không bầu" in text  # the temporary resident of under 12 months
    assert "Trang 1/1" in text
    for row in WORLD_ROWS:
        assert row.split(",")[0] not in text  # no national ID is printed


def test_empty_list_still_renders(world):
    assert voter_list_pdf(world.units["U9"]).startswith(b"%PDF")
