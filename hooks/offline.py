"""The offline copy: links to the portal lead to the public site.

Opened from disk, a link such as /daftar/ or /k/swasti-sari would point at
the reader's file system; the form lives only on the server. The canonical
link goes: it would name a public address that does not exist.
"""
from __future__ import annotations

import re

ROOT_LINK = re.compile(r'(href|action)="/(?!/)')
# The copy's page names (biaya.html) are not the public addresses (/biaya/).
CANONICAL = re.compile(r'\s*<link rel="canonical"[^>]*>')


def on_post_page(output, page, config):
    output = CANONICAL.sub("", output)
    return ROOT_LINK.sub(lambda m: f'{m.group(1)}="{config.site_url}', output)
