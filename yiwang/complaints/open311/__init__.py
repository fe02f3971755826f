"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) over the 12345 requests: the
services outside 311 apps may file, filing with an API key, the public lists and the token
look-up, in JSON and XML (``/open311/v2/``, docs/open311.md)."""
