"""Names the site build and the portal agree on."""

# The public address when PUBLIC_URL is not set: the site's absolute links
# (social card, sitemap, the offline copy's links to the form).
PUBLIC_URL = "https://kerjakerasbebascemas.id"

# The offline copy of the site: served at unduh/<name>, linked from the download page.
OFFLINE_ZIP = "kkbc-situs-offline.zip"
