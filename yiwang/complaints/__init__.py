"""12345 requests (诉求), 曝光纠错 and the Open311 GeoReport v2 interface; see models.py and
docs/complaints.md."""
