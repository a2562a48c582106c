"""What each view shows, built from the frames the adapter returns: its cards, charts and
tables, named by the metric catalogue, in the reader's language. One module per view."""
