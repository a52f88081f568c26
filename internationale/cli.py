"""The `internationale` console script.

internationale demo            set up the database and a fictional demo network
internationale serve           serve the site with gunicorn
internationale worker          run background tasks
internationale check           check a production configuration (no warning allowed)
internationale createnetwork   create a network and an invitation for its first organization
internationale invite          make an invitation link
internationale treasury ...    the fund: verify, export, status, open, pledge, contribute,
                               import, request, vote, pay, release, report, handover
                               (`internationale treasury --help`)
internationale relay ...       relays: install-model, list, circles, show, start, report,
                               pass-on, transcribe, translate, save, review, vtt, feed
                               (`internationale relay --help`)
internationale archive ...     the archive: compare PAIRS.csv, cluster NAMES.csv
                               (--level entity|group), import FILE, export
internationale <command>       any other Django management command (migrate, ...)
"""

import os
import sys
from typing import Any


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internationale.settings")
    command = argv[0] if argv else "help"
    if command == "serve":
        serve(argv[1:])
        return
    from django.core.management import execute_from_command_line

    if command == "worker" and not {"-h", "--help"} & set(argv):
        import django

        django.setup()
        from internationale.core.tasks import clear_expired_sessions
        from internationale.relay.tasks import pass_on_overdue
        from internationale.treasury.tasks import expire_reservations

        # Housekeeping once per worker start; the tasks are idempotent.
        clear_expired_sessions.enqueue()
        expire_reservations.enqueue()
        pass_on_overdue.enqueue()
    if command == "worker":
        argv = ["db_worker", *argv[1:]]
    elif command == "check":
        argv = ["check", "--deploy", "--fail-level", "WARNING", *argv[1:]]
    elif command in ("help", "--help", "-h"):
        print(__doc__)
        return
    execute_from_command_line(["internationale", *argv])


def serve(args: list[str]) -> None:
    """Serve with gunicorn: threads for slow clients, and no access log, because an access
    log would record who asked for what (and invitation links carry secrets)."""
    import argparse

    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    from internationale.core.env import env_int, env_str

    parser = argparse.ArgumentParser(prog="internationale serve")
    parser.add_argument("--bind", default=env_str("INTERNATIONALE_BIND", "127.0.0.1:8000"))
    parser.add_argument(
        "--workers", type=int, default=env_int("INTERNATIONALE_WORKERS", 2, minimum=1)
    )
    parser.add_argument(
        "--threads", type=int, default=env_int("INTERNATIONALE_THREADS", 8, minimum=1)
    )
    options = parser.parse_args(args)
    application = get_wsgi_application()

    class Server(BaseApplication):
        def load_config(self) -> None:
            config: dict[str, Any] = {
                "bind": options.bind,
                "workers": options.workers,
                "threads": options.threads,
                "worker_class": "gthread",
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "info",
                "forwarded_allow_ips": "127.0.0.1",
                "proc_name": "internationale",
                "control_socket_disable": True,
                "logger_class": "internationale.core.logs.PrivateGunicornLogger",
                "timeout": 60,
            }
            for key, value in config.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


if __name__ == "__main__":
    main()
