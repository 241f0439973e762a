"""core.rows.datetime_text writes every datetime exactly as DRF's DateTimeField does, in the
current time zone, though it works the zone's offset out once an hour instead of per value."""

import datetime as dt
import itertools
import random
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.fields import DateTimeField

from core import rows

# The configured zone, zones with DST either side of UTC, one with a 30-minute DST shift at a
# half hour of UTC (Lord Howe), ones with offsets in half and quarter hours, and UTC.
ZONES = [settings.TIME_ZONE, "America/New_York", "Australia/Lord_Howe", "America/St_Johns"]
ZONES += ["Asia/Kathmandu", "Pacific/Chatham", "Europe/Dublin", "UTC"]
MOMENTS = [dt.timedelta(0), dt.timedelta(microseconds=1), dt.timedelta(seconds=1), dt.timedelta(minutes=30)]
MOMENTS += [dt.timedelta(minutes=59, seconds=59, microseconds=999_999), dt.timedelta(hours=1)]


def _drf(value: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    with timezone.override(zone):
        return DateTimeField().to_representation(value)


def _transitions(zone: zoneinfo.ZoneInfo, years: range) -> list[dt.datetime]:
    """The UTC instants (naive) at which the zone's offset changes, found hour by hour then to the second."""
    found = []
    hour = dt.timedelta(hours=1)
    moment = dt.datetime(years.start, 1, 1, tzinfo=dt.UTC)
    while moment.year < years.stop:
        if moment.astimezone(zone).utcoffset() != (moment + hour).astimezone(zone).utcoffset():
            low, high = moment, moment + hour
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                same = middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset()
                low, high = (middle, high) if same else (low, middle)
            found.append(high.replace(tzinfo=None))
        moment += hour
    return found


def _around(instants: list[dt.datetime]) -> list[dt.datetime]:
    return [instant + sign * moment for instant in instants for moment in MOMENTS for sign in (1, -1)]


def _random_moments(count: int) -> list[dt.datetime]:
    rng = random.Random(18)
    start = dt.datetime(1900, 1, 1)
    values = [start + dt.timedelta(seconds=rng.randrange(200 * 365 * 86400)) for _ in range(count)]
    return [v.replace(microsecond=rng.choice([0, 1, 500_000, rng.randrange(1_000_000)])) for v in values]


@pytest.mark.parametrize("name", ZONES)
def test_datetime_text_matches_drf_around_every_transition_and_at_random(name: str) -> None:
    zone = zoneinfo.ZoneInfo(name)
    rows._hours.clear()
    values = _around(_transitions(zone, range(1970, 2040))) + _random_moments(3000)
    for naive in values:
        expected = _drf(naive.replace(tzinfo=dt.UTC), zone)
        assert rows.datetime_text(naive, zone) == expected, naive  # SQLite's driver: naive UTC
        assert rows.datetime_text(naive.replace(tzinfo=dt.UTC), zone) == expected, naive  # PostgreSQL's: aware
    for naive in values[:200]:  # the hours are remembered now: the same answers again
        assert rows.datetime_text(naive, zone) == _drf(naive.replace(tzinfo=dt.UTC), zone)


def test_datetime_text_of_an_aware_value_in_another_zone_matches_drf() -> None:
    zone, other = zoneinfo.ZoneInfo(settings.TIME_ZONE), zoneinfo.ZoneInfo("Asia/Tokyo")
    for naive in _random_moments(500):
        value = naive.replace(tzinfo=dt.UTC).astimezone(other)
        assert rows.datetime_text(value, zone) == _drf(value, zone)


def test_datetime_text_at_the_ends_of_the_calendar_fails_as_drf_does_or_matches_it() -> None:
    zone = zoneinfo.ZoneInfo("America/New_York")
    with pytest.raises(OverflowError):
        rows.datetime_text(dt.datetime(1, 1, 1, 0, 30), zone)
    value = dt.datetime(9999, 12, 31, 23, 30)
    assert rows.datetime_text(value, zone) == _drf(value.replace(tzinfo=dt.UTC), zone)
    assert rows.datetime_text(None, zone) is None


def test_an_hour_in_which_the_offset_changes_is_written_value_by_value() -> None:
    zone = zoneinfo.ZoneInfo("Australia/Lord_Howe")  # summer time starts at 2:00 standard time (+10:30), 15:30 UTC
    transition = next(moment for moment in _transitions(zone, range(2026, 2027)) if moment.minute == 30)
    rows._hours.clear()
    before, after = transition - dt.timedelta(microseconds=1), transition
    assert rows.datetime_text(before, zone) == _drf(before.replace(tzinfo=dt.UTC), zone)
    assert rows.datetime_text(after, zone) == _drf(after.replace(tzinfo=dt.UTC), zone)
    assert rows._hours[(zone, 2026, transition.month, transition.day, 15)] is rows._CHANGES


def test_no_zone_changes_its_offset_twice_within_an_hour() -> None:
    """Why one check at each end of an hour is enough: in the tz database no zone changes its
    offset twice within an hour (after the listed changes, a zone follows a yearly rule)."""
    from zoneinfo import _zoneinfo  # the pure Python twin of ZoneInfo, whose transitions can be read

    for name in zoneinfo.available_timezones():
        changes = _zoneinfo.ZoneInfo.no_cache(name)._trans_utc
        assert all(b - a > 3600 for a, b in itertools.pairwise(changes)), name
