import pytest

from graphkit.types import country, date, share


@pytest.mark.parametrize("raw, expected", [
    (50, (50.0, 50.0)), ("50%", (50.0, 50.0)), ("25-50%", (25.0, 50.0)), ("25 – 50 %", (25.0, 50.0)),
    (">50", (50.0, 100.0)), ("more than 50%", (50.0, 100.0)), ("50 or more", (50.0, 100.0)),
    ("<25", (0.0, 25.0)), ("less than 25%", (0.0, 25.0)), ("", (0.0, 100.0)), (None, (0.0, 100.0)),
    ("12,5", (12.5, 12.5)), (0, (0.0, 0.0)), (100, (100.0, 100.0)),
])
def test_share_parse(raw, expected):
    assert share.parse(raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("120", "over 100"), (-1, "negative"), ("60-40", "lower bound"), ("half", "cannot read"),
    (True, "true/false"),
])
def test_share_rejects(raw, message):
    with pytest.raises(ValueError, match=message):
        share.parse(raw)


def test_dates_keep_precision_and_read_partials_cautiously():
    assert date.parse("2020") == "2020"
    assert date.parse("2019-10-09T00:00:00Z") == "2019-10-09"
    assert date.parse("10 Dec 2021") == "2021-12-10"
    assert date.lower("2020-02") == "2020-02-01"
    assert date.upper("2020-02") == "2020-02-31"
    with pytest.raises(ValueError, match="not a real date"):
        date.parse("2021-02-30")
    with pytest.raises(ValueError, match="cannot read"):
        date.parse("soon")
    with pytest.raises(ValueError, match="full date"):
        date.as_of_text("2021")


def test_active_mask_partial_end_is_still_in_force_during_that_year():
    import pandas as pd

    start = pd.Series(["2019-10-09", None, "2020"], dtype=object)
    end = pd.Series(["2020", None, None], dtype=object)
    assert date.active_mask(start, end, "2020-06-01").tolist() == [True, True, True]
    assert date.active_mask(start, end, "2021-01-01").tolist() == [False, True, True]
    assert date.active_mask(start, end, "2019-12-31").tolist() == [True, True, False]


def test_country():
    assert country.parse("hk") == "HK"
    assert country.parse("Cayman Islands") == "KY"
    assert country.parse(None) is None
    with pytest.raises(ValueError, match="alpha-2"):
        country.parse("Atlantis")


@pytest.mark.parametrize("raw, expected", [
    ("2019-10-09 00:00:00", "2019-10-09"), ("2019-10-09 00:00", "2019-10-09"),
    ("2019-10-09 13:45:10", "2019-10-09"), ("2019-10-09 00:00:00.000", "2019-10-09"),
])
def test_date_with_time_of_day(raw, expected):
    """Spreadsheets write dates out as 'YYYY-MM-DD 00:00:00'."""
    assert date.parse(raw) == expected


def test_date_with_time_still_checks_the_day():
    with pytest.raises(ValueError, match="not a real date"):
        date.parse("2019-02-30 00:00:00")
