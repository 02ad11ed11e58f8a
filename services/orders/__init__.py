"""Orders: the schools register, baskets, orders, payments and invoices (the traded strand)."""
