"""factory_boy factories for every model. Build objects through these, not by hand."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accountability import models as acc
from customers import models as cm
from integrations.models import WebhookSubscription
from org import models as org
from org.roles import CCO_STAFF, DEPARTMENT_HEADS, EXECUTIVES, TASK_OWNERS
from roadmap import models as rm


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pw-for-tests")
    is_staff = True  # every role uses the admin

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`UserFactory(role="Executives")` puts the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def _role_factory(name: str, group: str) -> type[UserFactory]:
    def role(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=extracted or group))

    return type(name, (UserFactory,), {"role": factory.PostGeneration(role)})


CCOStaffFactory = _role_factory("CCOStaffFactory", CCO_STAFF)
ExecutiveFactory = _role_factory("ExecutiveFactory", EXECUTIVES)
DepartmentHeadFactory = _role_factory("DepartmentHeadFactory", DEPARTMENT_HEADS)
TaskOwnerFactory = _role_factory("TaskOwnerFactory", TASK_OWNERS)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = org.Department
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.LazyAttribute(lambda d: d.name.lower().replace(" ", "-"))
    head = factory.SubFactory(DepartmentHeadFactory)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = org.Profile

    user = factory.SubFactory(UserFactory)
    time_zone = ""


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Roadmap

    name = factory.Sequence(lambda n: f"FY{2026 + n} customer roadmap")
    period_start = dt.date(2026, 1, 1)
    period_end = dt.date(2027, 12, 31)
    status = rm.Roadmap.Status.DRAFT


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Initiative

    roadmap = factory.SubFactory(RoadmapFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    outcome = "Customers onboard in half the time."
    owner = factory.SubFactory(CCOStaffFactory)
    start_date = dt.date(2026, 1, 1)
    end_date = dt.date(2027, 12, 31)
    proposal = rm.Initiative.Proposal.APPROVED  # on the roadmap; DraftInitiativeFactory for a draft


class DraftInitiativeFactory(InitiativeFactory):
    proposal = rm.Initiative.Proposal.DRAFT


class InitiativeSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.InitiativeSegment

    initiative = factory.SubFactory(DraftInitiativeFactory)
    segment = factory.SubFactory("tests.factories.CustomerSegmentFactory")
    customers = 40


class InitiativeExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.InitiativeExpectation

    initiative = factory.SubFactory(DraftInitiativeFactory)
    metric = factory.SubFactory("tests.factories.MetricFactory")
    expected_value = 80
    by_date = dt.date(2026, 6, 30)


class InitiativeDepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.InitiativeDepartment
        skip_postgeneration_save = True

    initiative = factory.SubFactory(InitiativeFactory)
    department = factory.SubFactory(DepartmentFactory)
    budget = Decimal("10000.00")

    @factory.post_generation
    def metrics(self, create, extracted, **kwargs):
        if create and extracted:
            self.metrics.set(extracted)

    @factory.post_generation
    def loss_reasons(self, create, extracted, **kwargs):
        if create and extracted:
            self.loss_reasons.set(extracted)

    @factory.post_generation
    def segments(self, create, extracted, **kwargs):
        if create and extracted:
            self.segments.set(extracted)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Pledge

    initiative = factory.SubFactory(InitiativeFactory)
    department = factory.SubFactory(DepartmentFactory)
    person = factory.LazyAttribute(lambda p: p.department.head)
    hours_per_month = Decimal("8.0")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Meeting
        skip_postgeneration_save = True

    initiative = factory.SubFactory(InitiativeFactory)
    date = dt.date(2026, 3, 1)
    title = "Task force"

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Task

    initiative = factory.SubFactory(InitiativeFactory)
    department = factory.SubFactory(DepartmentFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    owner = factory.SubFactory(TaskOwnerFactory)
    due_date = dt.date(2026, 6, 30)
    status = rm.Task.Status.NOT_STARTED
    completed_at = factory.LazyAttribute(lambda t: timezone.now() if t.status == rm.Task.Status.DONE else None)
    status_changed_at = factory.LazyFunction(timezone.now)
    # As the services do: a task that has left "not started" has promised its due date.
    promised_date = factory.LazyAttribute(lambda t: None if t.status == rm.Task.Status.NOT_STARTED else t.due_date)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.CheckIn

    task = factory.SubFactory(TaskFactory)
    author = factory.LazyAttribute(lambda c: c.task.owner)
    date = factory.LazyFunction(timezone.localdate)
    note = "On track."
    percent_complete = 50
    confidence = rm.Health.GREEN


class CustomerSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.CustomerSegment
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Segment {n}")
    slug = factory.LazyAttribute(lambda s: s.name.lower().replace(" ", "-"))


class LossReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.LossReason
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Reason {n}")
    slug = factory.LazyAttribute(lambda s: s.name.lower().replace(" ", "-"))


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Metric
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"metric-{n}")
    name = factory.LazyAttribute(lambda m: m.code.replace("-", " ").title())
    unit = "%"
    direction = cm.Metric.Direction.HIGHER
    aggregation = cm.Metric.Aggregation.AVERAGE
    level = cm.Metric.Level.DEPARTMENT


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Target

    metric = factory.SubFactory(MetricFactory)
    department = None
    period_kind = "quarter"
    period_start = dt.date(2026, 1, 1)
    target_value = Decimal("80")
    amber_threshold = Decimal("70")


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Reading

    metric = factory.SubFactory(MetricFactory)
    department = factory.SubFactory(DepartmentFactory)
    date = dt.date(2026, 2, 15)
    value = Decimal("75")
    source = "test"


class CustomerMovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.CustomerMovement

    date = dt.date(2026, 2, 15)
    kind = cm.CustomerMovement.Kind.GAINED
    segment = factory.SubFactory(CustomerSegmentFactory)
    department = factory.SubFactory(DepartmentFactory)
    count = 1
    revenue = Decimal("12000")
    profit = Decimal("3000")
    loss_reason = factory.Maybe(
        factory.LazyAttribute(lambda m: m.kind == cm.CustomerMovement.Kind.LOST),
        yes_declaration=factory.SubFactory(LossReasonFactory),
        no_declaration=None,
    )


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = acc.Recognition

    giver = factory.SubFactory(CCOStaffFactory)
    recipient = factory.SubFactory(TaskOwnerFactory)
    task = factory.SubFactory(TaskFactory)
    note = "Went the extra mile for a strategic customer."


class PayPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = acc.PayPlan
        skip_postgeneration_save = True

    department = factory.SubFactory(DepartmentFactory)
    role = ""

    @factory.post_generation
    def weights(self, create, extracted, **kwargs):
        """weights=[(metric, weight), …]."""
        for metric, weight in (extracted or []) if create else []:
            acc.PayWeight.objects.create(plan=self, metric=metric, weight=weight)


class MetricConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = acc.MetricConflict

    metric_a = factory.SubFactory(MetricFactory)
    metric_b = factory.SubFactory(MetricFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        a, b = sorted((kwargs.pop("metric_a"), kwargs.pop("metric_b")), key=lambda m: m.pk)  # stored in one order
        return super()._create(model_class, *args, metric_a=a, metric_b=b, **kwargs)


class ScorecardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = acc.Scorecard

    period_kind = "quarter"
    period_start = dt.date(2026, 1, 1)
    scope = acc.Scorecard.Scope.DEPARTMENT
    department = factory.SubFactory(DepartmentFactory)
    computed_at = factory.LazyFunction(timezone.now)


class ScorecardLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = acc.ScorecardLine

    scorecard = factory.SubFactory(ScorecardFactory)
    part = acc.ScorecardLine.Part.DELIVERY
    label = "Delivery"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = acc.Message

    kind = acc.Message.Kind.DUE_SOON
    task = factory.SubFactory(TaskFactory)
    subject_key = factory.LazyAttribute(lambda m: f"task:{m.task.pk}")
    recipient = factory.LazyAttribute(lambda m: m.task.owner)
    for_date = dt.date(2026, 6, 27)


class SlipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Slip

    task = factory.SubFactory(TaskFactory, status=rm.Task.Status.IN_PROGRESS)
    moved_by = factory.LazyAttribute(lambda s: s.task.owner)
    moved_at = factory.LazyFunction(timezone.now)
    from_date = factory.LazyAttribute(lambda s: s.task.due_date)
    to_date = factory.LazyAttribute(lambda s: s.from_date + dt.timedelta(days=30))
    days = factory.LazyAttribute(lambda s: (s.to_date - s.from_date).days)
    reason = "Waiting on the vendor."
    status = rm.Slip.Status.PENDING


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    name = factory.Sequence(lambda n: f"Receiver {n}")
    url = factory.Sequence(lambda n: f"https://receiver{n}.example.org/hooks")
    secret = "a-secret-for-the-tests"
    events = factory.LazyFunction(lambda: ["task.created"])
