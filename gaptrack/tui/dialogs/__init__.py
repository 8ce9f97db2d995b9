"""Modal dialogs: confirm, ask for text, pick a document or a privilege-log entry, compose a
follow-up, view text."""

from gaptrack.tui.dialogs.confirm import ConfirmDialog
from gaptrack.tui.dialogs.document import DocumentDialog
from gaptrack.tui.dialogs.followup import FollowUpDialog, FollowUpSpec
from gaptrack.tui.dialogs.produced import ProducedDialog
from gaptrack.tui.dialogs.text import TextDialog, TextViewDialog
from gaptrack.tui.dialogs.withheld import WithheldDialog

__all__ = [
    "ConfirmDialog",
    "DocumentDialog",
    "FollowUpDialog",
    "FollowUpSpec",
    "ProducedDialog",
    "TextDialog",
    "TextViewDialog",
    "WithheldDialog",
]
