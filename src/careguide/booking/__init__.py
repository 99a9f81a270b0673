"""Care navigation: the directory of hospitals, departments and doctors; slots; matching a triage
outcome to three bookable proposals; holds, bookings, wait-list; cross-region referrals; visit guides.

A library: it takes a SQLAlchemy session and pydantic models and returns pydantic models.
"""
