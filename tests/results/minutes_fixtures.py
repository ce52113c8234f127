"""A fixed data set for the minutes: the `world` fixture with fixed names and every unit's tally approved."""

import datetime as dt

import pytest

from elections.models import Area, Candidate, Constituency, Contest, Election, PollingUnit
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

NAMES = {
    "QH1-01": ("Nguyễn Thị Hương", "female", "1968-03-14"),
    "QH1-02": ("Trần Văn Dũng", "male", "1971-07-02"),
    "QH1-03": ("Lê Minh Quang", "male", "1975-11-20"),
    "QH1-04": ("Phạm Thị Ngọc Ánh", "female", "1980-01-05"),
    "QH1-05": ("Đặng Đức Thắng", "male", "1983-09-30"),
}
INPUTS = {
    "meeting_at": "2021-05-23T20:15:00+07:00",
    "place": "Nhà văn hóa thôn Đông",
    "members": [
        {"name": "Hoàng Văn Lợi", "gender": "male", "position": "head"},
        {"name": "Vũ Thị Lệ", "gender": "female", "position": "deputy"},
        {"name": "Đỗ Quốc Việt", "gender": "male", "position": "secretary"},
        {"name": "Bùi Thị Tuyết", "gender": "", "position": "member"},
    ],
    "witnesses": ["Ngô Văn Tỵ", "Dương Thị Yến"],
    "events": "",
    "complaints_resolved": "",
    "complaints_forwarded": "",
}


def fix_names(world):
    """Names that do not depend on factory sequences, so that the golden texts are stable."""
    e = world.election
    Election.objects.filter(pk=e.pk).update(name="Bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp")
    for code, name in {"P": "Tỉnh Phú Thọ", "D1": "Huyện Thanh Thủy", "D2": "Huyện Lâm Thao", "C1": "Xã Bảo Yên",
                       "C2": "Xã Đoan Hạ", "C3": "Xã Sơn Vi"}.items():  # fmt: skip
        Area.objects.filter(election=e, code=code).update(name=name)
    Contest.objects.filter(election=e, code="QH").update(name="Đại biểu Quốc hội khóa XV")
    Contest.objects.filter(election=e, code="XA").update(name="Đại biểu HĐND xã nhiệm kỳ 2021-2026")
    for code, number in (("QH1", 2), ("XA1", 1), ("XA2", 2), ("XA3", 3)):
        Constituency.objects.filter(election=e, code=code).update(name=f"Đơn vị bầu cử số {number}")
    for i, code in enumerate(("U1", "U2", "U3")):
        PollingUnit.objects.filter(election=e, code=code).update(name=f"Khu vực bỏ phiếu số {i + 1}")
    for code, (name, gender, born) in NAMES.items():
        Candidate.objects.filter(election=e, code=code).update(
            full_name=name, gender=gender, date_of_birth=dt.date.fromisoformat(born)
        )
    for cons in ("XA1", "XA2", "XA3"):
        for i, name in enumerate(("Lê Văn Tuấn", "Nguyễn Thị Thu Hà", "Phan Văn Khải")):
            Candidate.objects.filter(election=e, code=f"{cons}-0{i + 1}").update(full_name=name)


@pytest.fixture
def counted(world):
    """Every unit of `world` counted and approved: QH1 decided (3 of 5 elected), XA1-XA3 decided."""
    fix_names(world)
    load(
        world.election,
        minutes("U1", "QH", qh_votes(600, 550, 500, 300, 100)),
        minutes("U2", "QH", qh_votes(610, 540, 505, 290, 95), listed=1005, voted=921, invalid=21),
        minutes("U3", "QH", qh_votes(590, 560, 480, 310, 120), listed=815, voted=715, invalid=15),
        minutes("U1", "XA", xa_votes("XA1", 600, 550, 200)),
        minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)),
        minutes("U3", "XA", xa_votes("XA3", 600, 550, 200)),
    )
    for model in (Election, Area, Contest, Constituency, PollingUnit, Candidate):
        for obj in [world.election, *world.areas.values(), *world.constituencies.values(), *world.units.values()]:
            if isinstance(obj, model):
                obj.refresh_from_db()
    return world
