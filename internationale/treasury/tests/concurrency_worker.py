"""The processes of `test_concurrency`: run as `python -m ...concurrency_worker MODE ARGS`
against the database that DATABASE_URL names, each printing one line of JSON.

- `setup POOL COUNT AMOUNT`: the personas' world, the test fund, POOL minor units given and
  COUNT draws of AMOUNT each in review; prints the draw and steward ids.
- `work STEWARD GATE SEED DRAW...`: once it is ready, it writes GATE/ready-SEED and waits
  for GATE/go; then, as the steward, approves each draw
  (in an order of its own) and pays it when it is reserved; prints what happened, and when
  it began and ended.
- `check`: prints the facts the test asserts, with `verify_fund`'s findings.
"""

import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any


def setup(pool: int, count: int, amount: int) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from internationale.core.testing import make_world
    from internationale.treasury import actions
    from internationale.treasury.tests.world import TODAY, fund_world

    world = make_world()
    world.update(fund_world(world))
    fund = world["fund"]
    actions.record_contribution(
        world["steward"],
        fund=fund,
        organization=world["beta"],
        amount=pool,
        currency="USD",
        received_on=TODAY,
        key="pool",
    )
    draws = [
        actions.request_draw(
            world["coordinator"],
            fund=fund,
            organization=world["alpha"],
            kind="strike",
            amount=amount,
            currency="USD",
            means=0,
            needed_by=timezone.localdate() + timedelta(days=60),
            narrative=f"Strike pay, week {n}.",
        )
        for n in range(count)
    ]
    stewards = [world[name].pk for name in ("steward_b", "steward_e", "steward_d")]
    return {"draws": [d.pk for d in draws], "stewards": stewards}


def work(steward_id: int, gate: Path, seed: int, draw_ids: list[int]) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    from internationale.network.models import Member
    from internationale.treasury import actions
    from internationale.treasury.models import Draw, DrawState

    steward = Member.objects.get(pk=steward_id)
    order = list(draw_ids)
    random.Random(seed).shuffle(order)
    outcomes: Counter[str] = Counter()
    (gate / f"ready-{seed}").touch()
    while not (gate / "go").exists():
        time.sleep(0.01)
    began = time.time()
    for draw_id in order:
        draw = Draw.objects.get(pk=draw_id)
        try:
            draw = actions.vote_on_draw(steward, draw=draw, choice="approve", strategy=3)
            outcomes["voted"] += 1
        except ValidationError as error:
            outcomes[f"vote refused: {' '.join(error.messages)}"] += 1
        if Draw.objects.get(pk=draw_id).state == DrawState.RESERVED:
            try:
                actions.pay_draw(steward, draw=draw)
                outcomes["paid"] += 1
            except ValidationError as error:
                outcomes[f"payment refused: {' '.join(error.messages)}"] += 1
    return {"outcomes": outcomes, "began": began, "ended": time.time()}


def check() -> dict[str, Any]:
    from django.db.models import Count, Sum

    from internationale.core.models import AuditEvent
    from internationale.treasury.booking import AUDIT_VERB
    from internationale.treasury.models import (
        Account,
        AccountKind,
        Category,
        Draw,
        DrawState,
        Fund,
        Transfer,
        TransferKind,
    )
    from internationale.treasury.verify import verify_fund

    fund = Fund.objects.get()
    pool = Account.objects.get(fund=fund, kind=AccountKind.HELD)
    audited = Counter(
        AuditEvent.objects.filter(verb=AUDIT_VERB).values_list("target_id", flat=True)
    )
    transfers = list(Transfer.objects.filter(fund=fund).values_list("pk", flat=True))
    payments = Transfer.objects.filter(kind=TransferKind.POST_PENDING, category=Category.DRAW)
    return {
        "available": pool.available.minor,
        "reserved": pool.debits_pending,
        "paid": payments.aggregate(s=Sum("amount"))["s"] or 0,
        "contributions": Transfer.objects.filter(category=Category.CONTRIBUTION).aggregate(
            s=Sum("amount")
        )["s"],
        "paid_draws": Draw.objects.filter(state=DrawState.PAID).count(),
        "reserved_draws": Draw.objects.filter(state=DrawState.RESERVED).count(),
        "payments": payments.count(),
        "payments_per_reservation": sorted(
            set(payments.values("pending").annotate(n=Count("pk")).values_list("n", flat=True))
        ),
        "audit_events_per_transfer": sorted({audited[str(pk)] for pk in transfers}),
        "audited_other_targets": sorted(set(audited) - {str(pk) for pk in transfers}),
        "verify": verify_fund(fund),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internationale.settings")
    import django

    django.setup()
    mode = sys.argv[1]
    if mode == "setup":
        pool, count, amount = (int(arg) for arg in sys.argv[2:5])
        result = setup(pool, count, amount)
    elif mode == "work":
        steward_id, gate, seed, *draw_ids = sys.argv[2:]
        result = work(int(steward_id), Path(gate), int(seed), [int(d) for d in draw_ids])
    else:
        result = check()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
