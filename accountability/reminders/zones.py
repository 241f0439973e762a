"""Each recipient's "today": their profile's time zone, or the organisation's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from org.models import Profile


def _zone(name: str, default: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return default  # a bad name written around full_clean(): fall back rather than lose reminders


@dataclass
class Zones:
    """User id → time zone for users whose profile names one; everyone else is in the org zone."""

    now: dt.datetime
    org: ZoneInfo
    by_user: dict[int, ZoneInfo] = field(default_factory=dict)

    @classmethod
    def load(cls, *, now: dt.datetime) -> Zones:
        org = ZoneInfo(settings.TIME_ZONE)
        cache: dict[str, ZoneInfo] = {}
        by_user = {}
        for user_id, name in Profile.objects.exclude(time_zone="").values_list("user_id", "time_zone"):
            if name not in cache:
                cache[name] = _zone(name, org)
            by_user[user_id] = cache[name]
        return cls(now=now, org=org, by_user=by_user)

    def zone(self, user_id: int) -> ZoneInfo:
        return self.by_user.get(user_id, self.org)

    def local_now(self, user_id: int) -> dt.datetime:
        return self.now.astimezone(self.zone(user_id))

    def today(self, user_id: int) -> dt.date:
        return self.local_now(user_id).date()

    def local_date(self, user_id: int, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone(user_id)).date()

    def dates_in_play(self) -> set[dt.date]:
        """The local dates of every zone in use right now (at most three, a day apart)."""
        zones = {*self.by_user.values(), self.org}
        return {self.now.astimezone(zone).date() for zone in zones}
