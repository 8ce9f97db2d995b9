"""Reusable widgets: a sortable, filterable record table, a share bar, the gaps panel."""
