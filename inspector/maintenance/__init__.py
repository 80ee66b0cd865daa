"""Operations tasks: sweeping orphaned photo files, backing up and restoring an instance."""


class MaintenanceError(Exception):
    """A maintenance task refused to run; the message is one line for the command line."""
