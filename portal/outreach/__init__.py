"""Reaching members where they are: links, campaign codes and QR codes
(``links``), the person to ask at each cooperative (``contacts``), numbered
paper forms (``paper``) and their import (``imports``), and sign-up by an
officer beside the member (``assisted``). Other packages import the modules
from here: ``from portal.outreach import links``."""

__all__ = ["assisted", "contacts", "imports", "links", "paper"]
