"""The staff site: guide editor and the review flow; later the case queues."""
