"""Kerja Keras Bebas Cemas core: what the site build and the portal share.

The data in ``data/``, the contribution arithmetic, the form's choices, number
and date formatting, and the critical CSS engine. Nothing here imports Flask
or the portal, so building the site never loads the web application.
"""
