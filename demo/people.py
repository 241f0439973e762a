"""The reference data of the demo: departments, people and their roles, segments, loss reasons,
metrics and scorecard settings. Upserted on natural keys (slug, username, code), so every run
leaves one of each."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group

from accountability.models import ScorecardSettings
from customers.models import CustomerSegment, LossReason, Metric
from demo import catalogue
from org.models import Department
from org.roles import CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS

# Fixed on purpose: demo users are printed with it; never load demo data into production.
DEMO_PASSWORD = "customers-first"  # noqa: S105
MEMBERS_PER_DEPARTMENT = 4


@dataclass
class People:
    """Who is who in the demo organisation, for the parts built after it."""

    cco: AbstractBaseUser
    executive: AbstractBaseUser
    head: AbstractBaseUser
    owner: AbstractBaseUser
    departments: list[Department] = field(default_factory=list)
    members: dict[int, list[AbstractBaseUser]] = field(default_factory=dict)  # department id → members

    def printed(self) -> list[tuple[str, str]]:
        """(role, username) of the users the command prints."""
        return [
            ("CCO staff", self.cco.username),
            ("executive", self.executive.username),
            ("department head (Service)", self.head.username),
            ("task owner (Service)", self.owner.username),
        ]


def department_names(count: int) -> list[tuple[str, str]]:
    names = list(catalogue.CORE_DEPARTMENTS)
    names += [(name, name.lower().replace(" ", "-")) for name in catalogue.EXTRA_DEPARTMENTS]
    names += [(f"Region {n}", f"region-{n}") for n in range(1, max(0, count - len(names)) + 1)]
    return names[:count]


def _person_names(count: int) -> list[tuple[str, str]]:
    """Distinct (first, last) pairs in a fixed order."""
    firsts, lasts = catalogue.FIRST_NAMES, catalogue.LAST_NAMES
    pairs, seen, n = [], set(), 0
    while len(pairs) < count:
        pair = (firsts[n % len(firsts)], lasts[(n // len(firsts) + n) % len(lasts)])
        suffix = "" if pair not in seen else str(n)
        seen.add(pair)
        pairs.append((pair[0], pair[1] + suffix))
        n += 1
    return pairs


def _user(username: str, first: str, last: str, password: str, *groups: Group) -> AbstractBaseUser:
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.com",
            "is_staff": True,  # every role works in the admin
            "is_active": True,
            "password": password,
        },
    )
    user.groups.add(*groups)
    return user


def people_ensure(*, departments: int) -> People:
    """Departments with a head and members, and one printed user of each role."""
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    groups = {g.name: g for g in Group.objects.filter(name__in=[CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS])}
    people = People(
        cco=_user("cco", "Charlotte", "Reid", password, groups[CCO_STAFF]),
        executive=_user("exec", "Edward", "Marsh", password, groups[EXECUTIVES]),
        head=_user("head", "Helen", "Adeyemi", password, groups[DEPARTMENT_HEADS]),
        owner=_user("owner", "Owen", "Brennan", password, groups[TASK_OWNERS]),
    )
    names = iter(_person_names(departments * (MEMBERS_PER_DEPARTMENT + 1)))
    for name, slug in department_names(departments):
        if slug == "service":
            head, members = people.head, [people.owner]
        else:
            first, last = next(names)
            head, members = _user(f"{first}.{last}".lower(), first, last, password, groups[DEPARTMENT_HEADS]), []
        while len(members) < MEMBERS_PER_DEPARTMENT:
            first, last = next(names)
            members.append(_user(f"{first}.{last}".lower(), first, last, password, groups[TASK_OWNERS]))
        department, _ = Department.objects.update_or_create(slug=slug, defaults={"name": name, "head": head})
        department.members.add(*members)
        people.departments.append(department)
        people.members[department.pk] = members
    return people


def volunteers_ensure(*, people: People, count: int) -> list[tuple[Department, AbstractBaseUser]]:
    """`count` more task owners, spread over the departments in turn, for a task force bigger than the
    organisation's default staff (the fading task force starts at 40). Named after everyone else, so
    they never take a name the departments use; upserted like the others."""
    password = make_password(DEMO_PASSWORD)
    group = Group.objects.get(name=TASK_OWNERS)
    taken = len(people.departments) * (MEMBERS_PER_DEPARTMENT + 1)
    volunteers = []
    for n, (first, last) in enumerate(_person_names(taken + count)[taken:]):
        department = people.departments[n % len(people.departments)]
        person = _user(f"{first}.{last}".lower(), first, last, password, group)
        department.members.add(person)
        volunteers.append((department, person))
    return volunteers


def customer_vocabulary_ensure() -> tuple[dict[str, CustomerSegment], dict[str, LossReason], dict[str, Metric]]:
    """Segments, loss reasons and metric definitions, keyed by slug or code."""
    segments = {}
    for rank, spec in enumerate(catalogue.SEGMENTS, start=1):
        segments[spec.slug], _ = CustomerSegment.objects.update_or_create(
            slug=spec.slug, defaults={"name": spec.name, "description": spec.description, "rank": rank}
        )
    reasons = {}
    departments = {d.slug: d for d in Department.objects.all()}
    for slug, name, _weight, department in catalogue.LOSS_REASONS:
        accountable = departments.get(department)  # None: the demo keeps reasons with no owner
        reasons[slug], _ = LossReason.objects.update_or_create(
            slug=slug, defaults={"name": name, "active": True, "department": accountable}
        )
    metrics = {}
    for spec in catalogue.COMPANY_METRICS + catalogue.DEPARTMENT_METRICS:
        metrics[spec.code], _ = Metric.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "unit": spec.unit,
                "direction": spec.direction,
                "aggregation": spec.aggregation,
                "level": spec.level,
                "source": spec.ledger,
            },
        )
    if not ScorecardSettings.objects.exists():
        ScorecardSettings.objects.create()
    return segments, reasons, metrics
