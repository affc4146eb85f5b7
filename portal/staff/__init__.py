"""The people of the back office: accounts and passwords (``accounts``), who
may reach what (``access``), login throttling (``throttle``), the audit log
(``audit``) and what a breach notice must say from it (``breach``). Other
packages import the modules from here: ``from portal.staff import accounts``."""

__all__ = ["access", "accounts", "audit", "breach", "throttle"]
