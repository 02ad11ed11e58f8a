"""What the business allows, as plain numbers: the HTTP models bound their inputs with these
(shared/bounds.py) and a domain that reads other inputs, such as a CSV upload, checks them too."""

from __future__ import annotations

MAX_PENCE = 10_000_000_000  # £100m: no contract, order or payment of ours comes near it
MAX_QUANTITY = 1000  # places, days or half-days on one line
MAX_COUNT = 1_000_000  # pupils, group sizes, and other head counts
COUNTS = range(MAX_COUNT + 1)
MAX_MEASUREMENT = 1e9  # a KPI, a test score, an effect: finite and human-sized
# The least standard deviation a group summary may report: an effect size divides a difference
# of measurements by it, and over the reciprocal of the largest one stays far inside a float.
MIN_SPREAD = 1 / MAX_MEASUREMENT
MAX_ITEMS = 100  # entries in a list given in one request (lines, tags, schools)
URNS = range(100_000, 1_000_000)  # a school's unique reference number has six digits
FIRST_YEAR, LAST_YEAR = 1990, 2100  # the years the business can mean
# A request's body: a whole England KS2 file as published (about 15 MB), with room; past it a
# request is refused before its body is read.
MAX_REQUEST_BYTES = 25_000_000
MAX_PER_PUPIL_PENCE = 1_000_000  # £10,000 a pupil: far above any per-pupil rate we charge
