"""Official minutes: data -> Django template -> HTML -> PDF (WeasyPrint), in Vietnamese or English.

`render_pdf` is a pure function of the minute's data (the count's `source`, the entered `inputs`, the
issue's `meta`) and the language: the same data always gives the same bytes. WeasyPrint writes no
date of its own; the only dates in the file are the issue time from `meta` (as PDF metadata), so
rendering an issued version again reproduces its SHA-256.

The QR code (segno, as SVG) links to the public verification page of the version; it and the footer
repeat on every page. A draft (not issued yet) has no QR code and says so across every page.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import formats, translation
from weasyprint import HTML

from core.places import admin_noun, in_sentence
from results.minutes.number_words import in_words
from results.minutes.text import LEVEL_BODY, POSITIONS, TEXTS
from results.rules import second_rounds

TEMPLATES = {
    "counting": "pdf/minutes_counting.html",
    "constituency": "pdf/minutes_constituency.html",
    "summary": "pdf/minutes_summary.html",
}
BODY_OF_KIND = {"counting": "team", "constituency": "board", "summary": "committee"}
NA_SUMMARY_COPIES_2025 = 4  # Art. 83(3) as amended: "được lập thành bốn bản"


def language_of(value: str | None) -> str:
    """ "en", "en-gb" -> "en"; anything else -> "vi" (the official language)."""
    return "en" if (value or "").lower().startswith("en") else "vi"


# --- formatting in the document's language --------------------------------------------------------


def num(n: Any) -> str:
    return formats.number_format(int(n), force_grouping=True)


def pct(text: Any) -> str:
    try:
        return formats.number_format(Decimal(str(text)), 2)
    except (InvalidOperation, ValueError):
        return str(text)


def words(n: int, language: str) -> str:
    text = in_words(int(n), language)
    return text[:1].upper() + text[1:]


def amended(source: dict[str, Any]) -> bool:
    """Whether the election falls under Law 85/2015 as amended by Law 83/2025/QH15 (election day from 1 July 2025):
    the recipients, copies and items of the summaries (Arts. 83, 85) follow the law in force on election day."""
    return dt.date.fromisoformat(source["election"]["election_day"]) >= second_rounds.LAW_83_2025_IN_FORCE


def summary_article(source: dict[str, Any]) -> str:
    """Art. 83: the province's National Assembly minute; Art. 85: a People's Council's summary. Decided by the
    contest's level, so minutes issued before the articles were corrected (then "82"/"83") render the same way."""
    return "83" if source["contest"]["level"] == "national_assembly" else "85"


def form_number(source: dict[str, Any], settings: Any) -> str:
    na = source["contest"]["level"] == "national_assembly"
    field = {
        "counting": "form_counting_na" if na else "form_counting_council",
        "constituency": "form_constituency_na" if na else "form_constituency_council",
        "summary": "form_summary_na" if na else "form_summary_council",
    }[source["kind"]]
    return str(getattr(settings, field))


def copies_of(source: dict[str, Any], settings: Any) -> int:
    na = source["contest"]["level"] == "national_assembly"
    if source["kind"] == "summary" and na and amended(source):
        return NA_SUMMARY_COPIES_2025
    return int(
        {
            "counting": settings.copies_counting,
            "constituency": settings.copies_constituency_na if na else settings.copies_constituency_council,
            "summary": settings.copies_summary,
        }[source["kind"]]
    )


def _title(t: dict[str, Any], gender: str) -> str:
    return t["ong_ba"].get(gender or "", t["ong_ba"][""])


def _person(t: dict[str, Any], person: dict[str, Any]) -> str:
    return " ".join(p for p in (_title(t, person.get("gender", "")), person.get("name", "")) if p)


def _counting_title(t: dict[str, Any], s: dict[str, Any]) -> str:
    """The counting minute's title: of round 2 (a re-election or an additional election, Arts. 79, 80), of a
    polling unit's re-vote after the NEC annulled its result (Art. 81(1), "bầu cử lại ở khu vực bỏ phiếu"), or plain."""
    if s["round"] > 1:
        return str(t["counting_title_2"][s["round_kind"]])
    if s.get("attempt", 1) > 1:
        return str(t["counting_title_2"]["annulled"])
    return str(t["counting_title"])


def _opening(t: dict[str, Any], meeting_at: str | None, body: str) -> str:
    if not meeting_at:
        return t["opening_blank"].format(body=body)
    at = dt.datetime.fromisoformat(meeting_at)
    return t["opening_at"].format(
        h=f"{at.hour:02d}", m=f"{at.minute:02d}", d=f"{at.day:02d}", mo=f"{at.month:02d}", y=at.year, body=body
    )


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=0, dark="#000")


def _figure_lines(t: dict[str, Any], f: dict[str, Any], language: str, total_label: str) -> list[dict[str, str]]:
    """Items 1-6 of the counting minutes (3-8 of the constituency minutes), in the law's order."""

    def line(label: str, n: int, unit: str, extra: str = "") -> dict[str, str]:
        value = f"{num(n)} {unit}".strip()
        return {"label": label, "value": value + (f", {extra}" if extra else ""), "words": words(n, language)}

    return [
        line(t[total_label], f["voters_on_list"], t["persons"]),
        line(t["voters_voted"], f["voters_voted"], t["persons"], t["turnout_of"].format(pct=pct(f["turnout_pct"]))),
        line(t["ballots_issued"], f["ballots_issued"], t["ballots"]),
        line(t["ballots_received"], f["ballots_received"], t["ballots"]),
        line(t["valid_ballots"], f["valid_ballots"], t["ballots"], t["of_received"].format(pct=pct(f["valid_pct"]))),
        line(
            t["invalid_ballots"],
            f["invalid_ballots"],
            t["ballots"],
            t["of_received"].format(pct=pct(f["invalid_pct"])),
        ),
    ]


def _names(t: dict[str, Any], people: list[dict[str, Any]], language: str, *, start: bool = False) -> str:
    """ "ông A và bà B" in running Vietnamese; `start`: the sentence begins with them ("Ông A và bà B")."""
    shown = []
    for i, p in enumerate(people):
        title = _title(t, p.get("gender", ""))
        if language == "vi" and title and not (i == 0 and start):  # the title in lower case; the name as it is
            shown.append(f"{title.lower()} {p.get('name', '')}".strip())
        else:
            shown.append(_person(t, p))
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + (" và " if language == "vi" else " and ") + shown[-1]


def _conclusions(t: dict[str, Any], s: dict[str, Any], language: str) -> dict[str, Any]:
    """Art. 77 item 10: turnout, winners, seats, and the fixed sentences the rules call for."""
    codes = {r["code"]: r for r in s["reasons"]}
    by_code = {c["code"]: c for c in s["candidates"]}
    turnout = [t["c_turnout"].format(pct=pct(s["figures"]["turnout_pct"]))]
    if "turnout_not_over_half" in codes:
        if s["contest"]["level"] == "national_assembly":
            turnout.append(t["c_re_election_na"])
        else:  # Art. 80(3): the NEC's consent from the 2025 text on
            turnout.append(t["c_re_election"] if amended(s) else t["c_re_election_2015"])
    if "turnout_not_over_half_additional" in codes:
        turnout.append(t["c_additional_void"])
    if "turnout_not_over_half_after_re_election" in codes:
        turnout.append(t["c_re_election_stands"])
    winners = [
        t["c_winner"]
        .format(title=_title(t, w["gender"]), name=w["name"], votes=num(w["votes"]), pct=pct(w["pct"]))
        .strip()
        for w in s["winners"]
    ]
    earlier = [
        t["c_winner"]
        .format(title=_title(t, w["gender"]), name=w["name"], votes=num(w["votes"]), pct=pct(w["pct"]))
        .strip()
        for w in s["earlier_winners"]
    ]
    seats = [t["c_seats"].format(seats=s["seats"], filled=s["seats_filled"], missing=s["seats_unfilled"])]
    if "seats_unfilled_additional_election" in codes:
        seats.append(t["c_additional_na"])
    if "seats_unfilled_below_two_thirds" in codes:
        seats.append(t["c_additional"])
    if "seats_vacant_no_action" in codes:
        seats.append(t["c_vacant"])
    if "no_further_round" in codes:
        seats.append(t["c_no_further"])
    for code in ("tie_broken_by_age", "tie_unresolved", "decision_tie_settled", "decision_seats_left_vacant"):
        if code not in codes:
            continue
        p = codes[code]["params"]
        people = [by_code[c] for c in p.get("candidates", []) if c in by_code]
        won = [by_code[c] for c in p.get("winners", []) if c in by_code]
        if code == "tie_broken_by_age":
            seats.append(
                t["c_tie_by_age"].format(
                    names=_names(t, people, language, start=True), winners=_names(t, won, language)
                )
            )
        elif code == "decision_tie_settled":  # Art. 78(4): the competent body named who takes the seat
            seats.append(t["c_decision_tie"].format(**_decided(p, language), winners=_names(t, won, language)))
        elif code == "decision_seats_left_vacant":  # Arts. 79(1)-(3), 80(4)
            seats.append(t["c_decision_vacant"].format(**_decided(p, language), n=p.get("seats_unfilled", 0)))
        else:
            decider = t["up_na"] if s["contest"]["level"] == "national_assembly" else t["up_council"]
            seats.append(
                t["c_tie"].format(
                    names=_names(t, people, language, start=True), seats=p.get("seats_left", 1), decider=decider
                )
            )
    return {"turnout": turnout, "winners": winners, "earlier": earlier, "seats": seats}


def _decided(params: dict[str, Any], language: str) -> dict[str, str]:
    """A recorded decision's body, reference and date (day first in Vietnamese), for a minute's sentence."""
    day = str(params.get("date", ""))
    try:
        d = dt.date.fromisoformat(day)
        day = f"{d.day:02d}/{d.month:02d}/{d.year}" if language == "vi" else d.strftime("%d/%m/%Y")
    except ValueError:
        pass
    return {"body": str(params.get("body", "")), "reference": str(params.get("reference", "")), "date": day}


def _members(t: dict[str, Any], members: list[dict[str, Any]], body: str, language: str) -> list[str]:
    positions = POSITIONS[language][body]
    return [f"{_person(t, m)}, {positions.get(m.get('position', ''), '')}".strip(", ") for m in members]


def _signers(members: list[dict[str, Any]], position: str) -> list[str]:
    return [m["name"] for m in members if m.get("position") == position]


def context(data: dict[str, Any], language: str, *, settings: Any) -> dict[str, Any]:
    """Everything the templates print, worded and formatted in `language`."""
    t = TEXTS[language]
    s, inputs, meta = data["source"], data.get("inputs", {}), data.get("meta", {})
    kind = s["kind"]
    body_kind = BODY_OF_KIND[kind]
    members = inputs.get("members", [])
    level_body = LEVEL_BODY[language][s["contest"]["level"]]
    council_area = (s.get("constituency") or {}).get("area") or (s["areas"][-1]["name"] if s.get("areas") else "")
    if language == "vi" and s["contest"]["level"] != "national_assembly":
        # the council's level by its area: "đại biểu Hội đồng nhân dân tỉnh", "... phường" (forms 24, 26/HĐBC-HĐND)
        level_body = f"{level_body} {admin_noun(council_area)}".strip()
    ctx: dict[str, Any] = {
        "t": t,
        "lang": language,
        "s": s,
        "inputs": inputs,
        "meta": meta,
        "draft": not meta.get("version"),
        "form_number": form_number(s, settings),
        "copies": copies_of(s, settings),
        "level_body": level_body,
        "members": _members(t, members, body_kind, language),
        "heads": _signers(members, "head"),
        "deputies": _signers(members, "deputy"),
        "secretaries": _signers(members, "secretary"),
        "qr": qr_data_uri(meta["verify_url"]) if meta.get("verify_url") else "",
        "seats_resolution": settings.seats_resolution or t["seats_resolution_blank"],
        "candidates_resolution": settings.candidates_resolution or t["candidates_resolution_blank"],
        "place": inputs.get("place") or t["place_blank"],
        "events": inputs.get("events", "").strip(),
        "complaints_resolved": inputs.get("complaints_resolved", "").strip(),
        "complaints_forwarded": inputs.get("complaints_forwarded", "").strip(),
    }
    areas = [{**a, "name": in_sentence(a["name"], language)} for a in s.get("areas", [])]
    purpose = {"counting": t["counting_purpose"], "constituency": t["cons_purpose"]}.get(kind) or (
        t["sum_purpose_83"] if kind == "summary" and summary_article(s) == "83" else t["sum_purpose"]
    )
    ctx["met"] = t["met_at"].format(place=ctx["place"], purpose=purpose)
    ctx["copies_count"] = f"{ctx['copies']:02d}" if language == "vi" else str(ctx["copies"])
    if kind == "counting":
        commune = areas[-1]["name"] if areas else ""
        ctx.update(
            opening=_opening(t, inputs.get("meeting_at"), t["team_of"].format(unit=s["unit"]["name"])),
            title=_counting_title(t, s).format(contest=s["contest"]["name"]),
            where=t["counting_where"].format(
                unit=s["unit"]["name"], code=s["unit"]["code"], cons=s["constituency"]["name"]
            ),
            figures=_figure_lines(t, s["figures"], language, "voters_on_list_unit"),
            candidate_rows=[{**c, "words": words(c["votes"], language)} for c in s["candidates"]],
            witnesses=[w for w in inputs.get("witnesses", []) if w] or ["", ""],
            to=t["counting_to"].format(
                # "Ban bầu cử đại biểu Hội đồng nhân dân xã Bảo Yên ở Đơn vị bầu cử số 1"
                level=f"{LEVEL_BODY[language][s['contest']['level']]} {in_sentence(council_area, language)}"
                if language == "vi" and s["contest"]["level"] != "national_assembly"
                else level_body,
                cons=s["constituency"]["name"],
                commune=commune,
            ),
            revote=t["revote"].format(n=s["attempt"]) if s.get("attempt", 1) > 1 else "",
        )
    elif kind == "constituency":
        province = areas[0]["name"] if areas else ""
        na = s["contest"]["level"] == "national_assembly"
        title = t["cons_title_2"][s["round_kind"]] if s["round"] > 1 else t["cons_title"]
        ctx.update(
            opening=_opening(t, inputs.get("meeting_at"), f"{t['board']} {s['constituency']['name']}"),
            title=title.format(contest=s["contest"]["name"], cons=s["constituency"]["name"]),
            figures=_figure_lines(t, s["figures"], language, "voters_on_list_cons"),
            conclusions=_conclusions(t, s, language),
            up=t["up_na"] if na else t["up_council"],
            to=(t["cons_to_na"] if na else t["cons_to_council"]).format(
                province=province, area=areas[-1]["name"] if areas else ""
            ),
            unit_totals=_unit_totals(s),
            area_name=s["areas"][-1]["name"] if areas else "",  # a line of its own: as named
            includes=t["cons_includes"].format(places=", ".join(in_sentence(c, language) for c in s["communes"]))
            if s["communes"]
            else "",
            # Art. 77(2)(l): "chuyển đến Ủy ban bầu cử, Hội đồng bầu cử quốc gia", for every Ban
            forwarded_label=t["c_complaints_forwarded"].format(up=t["up_na"]),
            revotes=[_revote_line(t, v) for v in s.get("revotes", [])],
            annex_of=t["annex_of"].format(cons=f"{s['constituency']['name']} ({s['constituency']['code']})")
            + (", " + t["round_kinds"][s["round_kind"]] if s["round"] > 1 else ""),
        )
    else:
        article = summary_article(s)
        ctx.update(
            opening=_opening(
                t, inputs.get("meeting_at"), f"{t['committee']} {in_sentence(s['area']['name'], language)}"
            ),
            title=t["sum_title"][article].format(contest=s["contest"]["name"]),
            where=t["sum_where"].format(area=in_sentence(s["area"]["name"], language)),
            figures=_figure_lines(t, s["figures"], language, "voters_on_list_area"),
            re_elections=_second_rounds(t, s, "re_election", language),
            additional=_second_rounds(t, s, "additional", language),
            decided=_decided_events(t, s, language),
            to=_summary_to(t, s, article, language),
            article=article,
            amended=amended(s),
            complaints_lower=inputs.get("complaints_lower", "").strip(),
        )
    ctx["copies_line"] = t["copies"].format(n=ctx["copies_count"], to=ctx["to"])
    ctx["based_on"] = [t["based_on"].format(what=ctx["seats_resolution"])]
    if kind != "counting":
        ctx["based_on"].append(t["based_on"].format(what=ctx["candidates_resolution"]))
    opened = s.get("opened_by")
    if kind == "constituency" and opened:  # the decision that set this round, and the NEC's consent to it
        line = t["based_on_round"].format(kind=t["round_kinds"][opened["kind"]], **_decided(opened, language))
        if opened.get("consent"):
            line += t["with_consent"].format(**_decided(opened["consent"], language))
        ctx["based_on"].append(line + ";")
    return ctx


def _summary_to(t: dict[str, Any], s: dict[str, Any], article: str, language: str) -> str:
    """Who receives a summary: Art. 83(3) and Art. 85(3), as in force on election day."""
    if not amended(s):
        return str(t["sum_to_83"] if article == "83" else t["sum_to"])
    areas = s.get("areas") or [s["area"]]
    province, area = in_sentence(areas[0]["name"], language), in_sentence(s["area"]["name"], language)
    if article == "83":
        return str(t["sum_to_83_2025"].format(province=province))
    if s["contest"]["level"] == "provincial_council":
        return str(t["sum_to_85_province_2025"].format(area=area))
    return str(t["sum_to_85_commune_2025"].format(area=area, province=province))


def _unit_totals(s: dict[str, Any]) -> dict[str, Any]:
    f = s["figures"]
    return {**f, "votes": [c["votes"] for c in s["candidates"]]}


def _vacancy_decision(c: dict[str, Any], round_number: int) -> dict[str, Any] | None:
    """The recorded decision leaving round `round_number`'s seats vacant, if the summary's row has one."""
    for d in c.get("decisions", []):
        if d.get("kind") == "seats_left_vacant" and d.get("round") == round_number:
            return d
    return None


def _decided_events(t: dict[str, Any], s: dict[str, Any], language: str) -> list[str]:
    """Arts. 83(2)(i), 85(2)(i): the important events include the decisions recorded on a constituency: a tie the
    competent body settled (Art. 78(4)) and the NEC's annulment (Art. 81); seats left vacant are in item 5."""
    return [
        t[f"sum_decided_{d['kind']}"].format(cons=c["name"], **_decided(d, language))
        for c in s["constituencies"]
        for d in c.get("decisions", [])
        if d.get("kind") in ("tie_settled", "annulment")
    ]


def _second_rounds(t: dict[str, Any], s: dict[str, Any], kind: str, language: str) -> list[str]:
    """Art. 83 items 2 and 5: constituencies that needed a re-election or an additional election."""
    lines = []
    for c in s["constituencies"]:
        if kind == "re_election":  # Art. 81: polling units whose result the NEC annulled voted again
            lines.extend(f"{c['name']}: {_revote_line(t, v)}" for v in c.get("revotes", []))
        first, later = c["rounds"][0], c["rounds"][1:]
        needed = "re_election_required" if kind == "re_election" else "additional_election_required"
        second = next((r for r in later if r["kind"] == kind), None)
        vacated = kind == "additional" and _vacancy_decision(c, 1) is not None
        if first["status"] != needed and second is None and not vacated:
            continue
        if kind == "re_election":
            annulled = next((d for d in c.get("decisions", []) if d.get("kind") == "annulment"), None)
            if annulled is not None and second is not None:  # Art. 81(1): the NEC annulled the whole constituency
                f2 = second["figures"]
                lines.append(
                    t["sum_re_annulled"].format(
                        cons=c["name"],
                        voted=num(f2["voters_voted"]),
                        listed=num(f2["voters_on_list"]),
                        pct2=pct(f2["turnout_pct"]),
                        **_decided(annulled, language),
                    )
                )
            elif second is None:
                lines.append(t["sum_re_pending"].format(cons=c["name"]))
            else:
                f1, f2 = first["figures"], second["figures"]
                lines.append(
                    t["sum_re_row"].format(
                        cons=c["name"],
                        pct=pct(f1["turnout_pct"]),
                        voted=num(f2["voters_voted"]),
                        listed=num(f2["voters_on_list"]),
                        pct2=pct(f2["turnout_pct"]),
                    )
                )
        else:
            first_filled = sum(1 for x in first["candidates"] if x["elected"])
            vacant = _vacancy_decision(c, 1)
            if second is None and vacant is not None:  # Art. 79(1): the NEC decided not to hold one
                lines.append(
                    t["sum_add_vacant"].format(
                        cons=c["name"],
                        filled=first_filled,
                        seats=c["seats"],
                        vacant=c["seats"] - first_filled,
                        **_decided(vacant, language),
                    )
                )
            elif second is None:
                lines.append(t["sum_add_pending"].format(cons=c["name"], filled=first_filled, seats=c["seats"]))
            else:
                won = [x for x in second["candidates"] if x["elected"]]
                f2 = second["figures"]
                line = t["sum_add_row"].format(
                    cons=c["name"],
                    filled=first_filled,
                    seats=c["seats"],
                    n=second["seats"],
                    voted=num(f2["voters_voted"]),
                    listed=num(f2["voters_on_list"]),
                    pct2=pct(f2["turnout_pct"]),
                    winners=_names(t, won, language) or t["no_one"],
                )
                closed = _vacancy_decision(c, second["number"])
                if closed is not None:  # Art. 79(3): no second additional election
                    line += " " + t["sum_add_closed"].format(**_decided(closed, language))
                lines.append(line)
    return lines


def _revote_line(t: dict[str, Any], v: dict[str, Any]) -> str:
    """A polling unit that voted again after the NEC annulled its result (Art. 81), with the re-vote's turnout."""
    line = t["revote_unit"].format(
        unit=v["name"],
        code=v["code"],
        voted=num(v["voters_voted"]),
        listed=num(v["voters_on_list"]),
    )
    reason = str(v.get("reason") or "").strip().rstrip(".")
    return f"{line} {t['revote_reason'].format(reason=reason)}" if reason else line


def render_html(data: dict[str, Any], language: str, *, settings: Any) -> str:
    language = language_of(language)
    with translation.override(language):
        return render_to_string(TEMPLATES[data["source"]["kind"]], context(data, language, settings=settings))


def render_pdf(data: dict[str, Any], language: str, *, settings: Any) -> bytes:
    """The minute as PDF bytes; deterministic for the same data, language and settings."""
    html = render_html(data, language, settings=settings)
    return HTML(string=html).write_pdf()


def filename(data: dict[str, Any], language: str) -> str:
    s, meta = data["source"], data.get("meta", {})
    key = re.sub(r"[^A-Za-z0-9._-]+", "_", meta.get("key") or s["kind"])
    version = f"v{meta['version']}" if meta.get("version") else "draft"
    suffix = "-en" if language_of(language) == "en" else ""
    return f"{s['kind']}_{key}_{version}{suffix}.pdf"
