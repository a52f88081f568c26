"""Background work of the archive: machine transcription of testimonies' recordings."""

from django_tasks import task

from internationale.archive import recordings


@task()
def transcribe(testimony_id: int) -> None:
    """Transcribe a testimony's recording into its text while the text is blank, with the
    configured speech model. Idempotent: only a testimony still waiting for the machine is
    worked on."""
    recordings.run_transcription(testimony_id)
