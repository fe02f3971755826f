"""yiwang (一网通办): an integrated online government-services platform."""
