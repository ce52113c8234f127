"""A decision of a competent body as the tests record it (CONTRACT §10)."""

import datetime as dt

from results.decisions.recording import DecisionText


def decision(body="Ủy ban bầu cử tỉnh P", reference="Nghị quyết số 12/NQ-UBBC", date=dt.date(2021, 5, 26), reason=""):
    return DecisionText(body=body, reference=reference, date=date, reason=reason)


DECISION = decision()
