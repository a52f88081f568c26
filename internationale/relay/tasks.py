"""Background work of the relay: machine transcription and legs whose time is up."""

from django_tasks import task

from internationale.relay import actions


@task()
def transcribe(transcript_id: int) -> None:
    """Transcribe (or translate into English) a report's audio with the configured speech
    model. Idempotent: only a transcript still waiting for the machine is worked on."""
    actions.run_transcription(transcript_id)


@task()
def translate(transcript_id: int) -> None:
    """A machine draft of a translation. Idempotent like `transcribe`."""
    actions.run_machine_translation(transcript_id)


@task()
def tell_circle(leg_id: int) -> int:
    """E-mail the members of a circle now on duty who gave an address."""
    return actions.tell_circle(leg_id)


@task()
def pass_on_overdue() -> int:
    """Pass on every leg whose time-box has ended; returns how many."""
    return len(actions.pass_on_overdue())
