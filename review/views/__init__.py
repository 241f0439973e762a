"""Admin pages of the executive review: thin views over the review selectors."""
