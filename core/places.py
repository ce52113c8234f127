"""Places as Vietnamese running text writes them."""

# Decree 30/2020/NĐ-CP, Appendix II: in running text an administrative unit's common noun is lower case ("tỉnh Nam
# Định", "xã Tân An"); "Thủ đô Hà Nội" and "Thành phố Hồ Chí Minh" keep their capitals. Mastheads are upper case.
ADMIN_NOUNS = ("Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Tỉnh", "Huyện", "Quận", "Xã", "Phường")
KEEP_CAPITALS = ("Thành phố Hồ Chí Minh", "Thủ đô Hà Nội")


def admin_noun(name: str) -> str:
    """The common noun of an area's name, lower case: "Phường Hưng Đạo" -> "phường"; "" when it has none."""
    return next((noun.lower() for noun in ADMIN_NOUNS if name.startswith(noun + " ")), "")


def in_sentence(name: str, language: str) -> str:
    """An area's name as running Vietnamese text writes it: "Xã Tân An" -> "xã Tân An"; unchanged in English."""
    if language != "vi" or name.startswith(KEEP_CAPITALS):
        return name
    for noun in ADMIN_NOUNS:
        if name.startswith(noun + " "):
            return noun.lower() + name[len(noun) :]
    return name
