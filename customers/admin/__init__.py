"""Admin of customer metrics, one module per area; importing them registers the admin classes."""

from customers.admin import metrics, movements

__all__ = ["metrics", "movements"]
