"""Commissioning: the LA's statutory contracts, milestones and brokered support."""
