"""The fixed vocabulary of the demo organisation: departments, people, priorities, metrics."""

from __future__ import annotations

from dataclasses import dataclass

# (name, slug) of the six silos every demo has; larger demos add EXTRA_DEPARTMENTS, then regions.
CORE_DEPARTMENTS = [
    ("Sales", "sales"),
    ("Service", "service"),
    ("Marketing", "marketing"),
    ("Billing", "billing"),
    ("Product", "product"),
    ("Operations", "operations"),
]
EXTRA_DEPARTMENTS = [
    "Customer success",
    "Onboarding",
    "Field service",
    "Partners",
    "Finance",
    "IT",
    "Logistics",
    "Legal",
    "Data and insight",
    "Quality",
]

FIRST_NAMES = [
    "Olivia", "Amir", "Grace", "Tomasz", "Priya", "Oscar", "Mei", "Kwame", "Sofia", "Liam",
    "Aisha", "Jonas", "Chloe", "Rahul", "Ines", "Ewan", "Fatima", "Noah", "Hannah", "Mateo",
]  # fmt: skip
LAST_NAMES = [
    "Hughes", "Okafor", "Patel", "Nowak", "Campbell", "Silva", "Chen", "Murphy", "Khan", "Evans",
    "Rossi", "Boateng", "Fraser", "Dubois", "Singh", "Walsh", "Novak", "Ahmed", "Lindqvist", "Moreau",
    "Price", "Kowalski", "Byrne",
]  # fmt: skip

# (title, outcome, metric codes it should move, slugs of the departments involved).
INITIATIVES = [
    ("Halve onboarding time for business customers", "New business customers are live within 14 days.",
     ["onboarding_days", "nps"], ["sales", "operations", "product", "billing"]),
    ("Resolve more contacts first time", "Four in five contacts are resolved at the first attempt.",
     ["first_contact_resolution", "complaints_per_1000"], ["service", "product", "operations"]),
    ("Bills customers understand", "Billing complaints fall by a third; no surprise charges.",
     ["invoice_accuracy", "complaints_per_1000"], ["billing", "service", "product"]),
    ("Win back lost growth customers", "A quarter of growth customers lost on price come back.",
     ["customers_gained", "retention"], ["sales", "marketing", "billing"]),
    ("One customer view for every silo", "Every department sees the same customer record.",
     ["first_contact_resolution", "nps"], ["product", "operations", "service", "sales"]),
    ("Strategic account plans", "Each strategic customer has a joint plan reviewed quarterly.",
     ["retention", "revenue"], ["sales", "service", "product"]),
    ("Reduce cost to serve unprofitable customers", "Unprofitable customers move to self-service.",
     ["cost_to_serve", "revenue"], ["operations", "service", "billing"]),
    ("Close the loop on every complaint", "Every complaint gets a root cause and an owner.",
     ["complaints_per_1000", "nps"], ["service", "operations", "product"]),
    ("Honest marketing promises", "What marketing promises is what customers get.",
     ["lead_conversion", "nps"], ["marketing", "sales", "product"]),
    ("Proactive outage messages", "Customers hear about outages from us before they call.",
     ["complaints_per_1000", "nps"], ["operations", "service", "marketing"]),
    ("Price review for loyal customers", "Loyal customers never pay more than new ones.",
     ["retention", "customers_lost"], ["billing", "sales", "marketing"]),
    ("Self-service portal", "Half of routine requests are done by customers themselves.",
     ["cost_to_serve", "first_contact_resolution"], ["product", "service", "operations"]),
    ("Early warning on churn", "At-risk customers are called before they leave.",
     ["customers_lost", "retention"], ["service", "sales", "product"]),
    ("Customer voice in product decisions", "Every release fixes a top customer pain point.",
     ["nps", "complaints_per_1000"], ["product", "marketing", "service"]),
    ("Welcome programme for new customers", "New customers get a named contact and a 30-day check.",
     ["retention", "nps"], ["service", "sales", "marketing"]),
    ("Fix the top ten billing errors", "Invoice errors fall below one in a hundred.",
     ["invoice_accuracy", "customers_lost"], ["billing", "product", "operations"]),
    ("Field visits on time", "Nine in ten engineer visits happen in the promised slot.",
     ["complaints_per_1000", "nps"], ["operations", "service"]),
    ("Referral programme", "One new customer in five comes from a referral.",
     ["customers_gained", "lead_conversion"], ["marketing", "sales"]),
    ("Plain-language contracts", "Contracts fit on two pages and customers sign faster.",
     ["onboarding_days", "nps"], ["sales", "billing", "product"]),
    ("Recognise customer heroes", "Exceptional customer work is thanked in public every month.",
     ["nps", "retention"], ["service", "sales", "operations", "marketing"]),
]  # fmt: skip

TASK_VERBS = [
    "Map the current journey for",
    "Agree the hand-off checklist for",
    "Pilot the new process for",
    "Train the team on",
    "Measure the baseline of",
    "Roll out",
    "Review customer feedback on",
    "Automate the reporting of",
    "Write the playbook for",
    "Close the gaps found in",
]
CHECK_IN_NOTES = {
    "green": ["On track.", "Pilot feedback is positive.", "Hand-off agreed with the other team.", "Ahead of plan."],
    "amber": ["Waiting on data from another team.", "Scope grew after the pilot.", "Two people off sick."],
    "red": ["Blocked by a supplier.", "Needs a decision from the CCO office.", "System change not scheduled."],
}


@dataclass(frozen=True)
class MetricSpec:
    """A metric definition and the shape of its demo readings (start and end of a trend)."""

    code: str
    name: str
    unit: str
    direction: str
    aggregation: str
    level: str
    start: float = 0
    end: float = 0
    noise: float = 0
    departments: tuple[str, ...] = ()  # department-level: slugs that report it
    source: str = "import"  # where the demo's readings say they came from
    ledger: str = "readings"  # the metric's source: readings, or derived from the movement ledger


DEPARTMENT_METRICS = [
    MetricSpec("nps", "Net promoter score", "score", "higher", "avg", "department", 18, 32, 6,
               ("sales", "service", "marketing", "billing", "product", "operations"), "survey"),
    MetricSpec("first_contact_resolution", "First-contact resolution", "%", "higher", "avg", "department",
               66, 79, 3, ("service", "billing"), "contact centre"),
    MetricSpec("complaints_per_1000", "Complaints per 1,000 customers", "per 1,000", "lower", "avg",
               "department", 9.5, 5.5, 1.2, ("service", "billing", "product", "operations"), "complaints log"),
    MetricSpec("onboarding_days", "Days to onboard a new customer", "days", "lower", "avg", "department",
               24, 15, 2.5, ("sales", "operations", "product"), "crm"),
    MetricSpec("invoice_accuracy", "Invoices without error", "%", "higher", "avg", "department",
               95.5, 98.8, 0.6, ("billing",), "billing system"),
    MetricSpec("lead_conversion", "Leads that become customers", "%", "higher", "avg", "department",
               11, 15, 1.5, ("marketing",), "crm"),
]  # fmt: skip
# Company-level metrics: their readings come from the customer model (movements, segments).
COMPANY_METRICS = [
    MetricSpec("customers", "Customers", "customers", "higher", "last", "company", source="crm"),
    MetricSpec("customers_gained", "Customers gained", "customers", "higher", "sum", "company", ledger="ledger_gained"),
    MetricSpec("customers_lost", "Customers lost", "customers", "lower", "sum", "company", ledger="ledger_lost"),
    MetricSpec("retention", "Customer retention", "%", "higher", "last", "company", source="crm"),
    MetricSpec("revenue", "Revenue", "GBP", "higher", "sum", "company", source="finance"),
    MetricSpec("cost_to_serve", "Cost to serve", "GBP", "lower", "sum", "company", source="finance"),
]


@dataclass(frozen=True)
class SegmentSpec:
    """A value tier and the economics of its demo customers."""

    slug: str
    name: str
    description: str
    customers: int  # at the start of the 24 months, at default scale
    share: float  # share of movement lines
    gain_odds: float  # chance that a movement line is a gain
    max_count: int  # customers per movement line
    monthly_revenue: int  # per customer
    cost_ratio: float  # cost to serve / revenue


SEGMENTS = [
    SegmentSpec("strategic", "Strategic", "The few customers that shape the business.", 60, 0.08, 0.5, 1, 21000, 0.55),
    SegmentSpec("growth", "Growth", "Customers who could become strategic.", 450, 0.25, 0.6, 2, 3500, 0.6),
    SegmentSpec("core", "Core", "The reliable base.", 3200, 0.47, 0.48, 4, 600, 0.72),
    SegmentSpec("unprofitable", "Unprofitable", "Customers who cost more to serve than they pay.", 900, 0.2, 0.35,
                3, 90, 1.3),
]  # fmt: skip

# (slug, name, weight among losses, department accountable or None)
LOSS_REASONS = [
    ("price", "Price", 0.24, "sales"),
    ("service-failure", "Service failure", 0.2, "service"),
    ("product-gap", "Product gap", 0.14, "product"),
    ("billing-error", "Billing error", 0.12, "billing"),
    ("moved-to-competitor", "Moved to competitor", 0.14, "marketing"),
    ("no-longer-needs", "No longer needs", 0.1, None),
    ("unknown", "Unknown", 0.06, None),
]
GAIN_DEPARTMENTS = [("sales", 0.6), ("marketing", 0.3), ("service", 0.1)]
