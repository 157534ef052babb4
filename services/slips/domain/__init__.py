"""The slips service's domain: what a slip says (content), what it is known from (facts), which step
issues which kind (kinds), and how it is laid out on A5 (layout)."""
