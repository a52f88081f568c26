"""A base for management commands that speak the reader's language and fail cleanly."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from internationale.core.languages import command_line_language


class LocalizedCommand(BaseCommand):
    """Runs `run()` in the shell's language and turns an action's ValidationError into a
    translated message on standard error and exit status 1, having written nothing."""

    leave_locale_alone = True

    def handle(self, *args: Any, **options: Any) -> str | None:
        with translation.override(command_line_language()):
            try:
                return self.run(*args, **options)
            except ValidationError as error:
                raise CommandError(_messages(error)) from None

    def run(self, *args: Any, **options: Any) -> str | None:
        raise NotImplementedError


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "\n".join(
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in error.message_dict.items()
            for message in messages
        )
    return "\n".join(error.messages)
