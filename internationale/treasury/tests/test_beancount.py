"""The Beancount export passes `bean-check`.

bean-check comes from the `beancount` package, which is GPL: it is kept out of the app's
environment, in `.venv-beancount`, which `make test` installs (the Makefile rule
`.venv-beancount/bin/bean-check`). A missing bean-check fails this test; it never skips.
"""

import subprocess
from pathlib import Path
from tempfile import TemporaryDirectory

from internationale.core.money import Money
from internationale.treasury import actions, export
from internationale.treasury.models import Transfer
from internationale.treasury.tests.world import FundTestCase, add_organization, frozen

ROOT = Path(__file__).resolve().parents[3]
BEAN_CHECK = ROOT / ".venv-beancount" / "bin" / "bean-check"


@frozen
class BeancountTests(FundTestCase):
    def test_the_export_of_a_busy_fund_passes_bean_check(self) -> None:
        self.contribute(250_000, key="usd-1")
        self.contribute(120_050, key="usd-2", organization=self.epsilon, note='A "quoted" note')
        self.contribute(80_000, key="brl-1", currency="BRL")
        # Slugs keep underscores, which Beancount's account names do not allow.
        underscored = add_organization(
            self.network, name="Workers_United Local 9", country="GB", coordinator="Coord W"
        )
        self.contribute(5_000, key="usd-3", organization=underscored)
        mistaken = self.contribute(1_000, key="usd-typo")
        actions.correct_transfer(self.steward, transfer=mistaken.transfer, reason="Typed twice.")
        actions.exchange_currency(
            self.steward,
            fund=self.fund,
            sold=Money(50_000, "USD"),
            bought=Money(46_123, "EUR"),
            key="fx-1",
        )
        paid = self.approve(self.request(40_000), self.steward_b, self.steward_e)
        actions.pay_draw(self.steward_b, draw=paid, amount=25_000)
        self.approve(self.request(30_000, kind="repression"), self.steward_b, self.steward_e)
        self.assertEqual(
            set(Transfer.objects.values_list("category", flat=True)),
            {"contribution", "correction", "exchange", "draw"},
        )

        with TemporaryDirectory() as folder:
            path = Path(folder) / "fund.beancount"
            with path.open("w", encoding="utf-8") as out:
                export.write_beancount(self.fund, out)
            self.assertTrue(
                BEAN_CHECK.exists(),
                f"{BEAN_CHECK} is missing: run `make .venv-beancount/bin/bean-check`",
            )
            result = subprocess.run(
                [str(BEAN_CHECK), str(path)], capture_output=True, text=True, timeout=60
            )
            text = path.read_text(encoding="utf-8")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr + text)
        self.assertIn("balance Assets:Held:Alpha-Union:EUR  461.23 EUR", text)
        self.assertIn("reserved 300.00 USD", text)
        self.assertIn("Income:Contributions:Workers-United-Local-9:USD", text)
