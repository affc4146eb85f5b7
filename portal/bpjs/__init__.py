"""From the conversion sheet to a registered member: the NIK rules (``nik``),
the NIK at rest (``vault``), the registration data and its consent
(``registration``), the handover list (``handover``) and BPJS's answer
(``answer``). Other packages import from here: ``from portal import bpjs``.

The product never registers anyone: BPJS Ketenagakerjaan does, from the list.
"""
from . import nik, registration, vault

__all__ = ["answer", "cli", "cover", "demo", "funnel", "handover", "journey", "lapse", "member", "nik",
           "registration", "vault"]
