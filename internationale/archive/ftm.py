"""The archive in the FollowTheMoney model: export to, and import from, JSON lines.

Entities keep their schema (Company, Organization, Person, LegalEntity), names, aliases,
countries and identifiers; links become `Ownership` (owner, asset, percentage) or, for the
other kinds, `UnknownLink` (subject, object, role). Files written here are read by the
`followthemoney` library, and so by Aleph and OpenSanctions tools; an entity's `key` is its
FollowTheMoney id, so importing the same file again updates what it imported.
"""

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from followthemoney import model
from followthemoney.exc import InvalidData

from internationale.archive import actions, indexing
from internationale.archive.models import Entity, Link, LinkKind, Schema
from internationale.core import audit
from internationale.core.visibility import Visibility
from internationale.network.models import Member, Network, Organization

IDENTIFIERS = {
    "leiCode": "leiCode",
    "registrationNumber": "registrationNumber",
    "taxNumber": "taxNumber",
}
LINK_SCHEMATA = ("Ownership", "UnknownLink")


def entity_proxy(entity: Entity) -> dict[str, Any]:
    proxy = model.make_entity(entity.schema)
    proxy.id = entity.key
    proxy.add("name", entity.name)
    proxy.add("alias", list(entity.aliases))
    proxy.add("country", [c.lower() for c in entity.countries])
    for scheme, values in entity.identifiers.items():
        if scheme in IDENTIFIERS:
            proxy.add(IDENTIFIERS[scheme], values)
    return proxy.to_dict()


def link_proxy(link: Link) -> dict[str, Any]:
    if link.kind == LinkKind.OWNS:
        proxy = model.make_entity("Ownership")
        proxy.add("owner", link.source.key)
        proxy.add("asset", link.target.key)
        if link.share is not None:
            proxy.add("percentage", str(Decimal(link.share) / 100))
    else:
        proxy = model.make_entity("UnknownLink")
        proxy.add("subject", link.source.key)
        proxy.add("object", link.target.key)
        proxy.add("role", link.kind)
    proxy.id = f"link:{link.organization.slug}:{link.key}"
    if link.evidence:
        proxy.add("summary", link.evidence)
    return proxy.to_dict()


def export(network: Network, links: Iterator[Link]) -> Iterator[dict[str, Any]]:
    """The network's entities, then the given links (those the reader may read)."""
    for entity in Entity.objects.filter(network=network).order_by("id"):
        yield entity_proxy(entity)
    for link in links:
        yield link_proxy(link)


def import_lines(
    actor: Member | None, *, network: Network, organization: Organization, text: str
) -> actions.Imported:
    """Import FollowTheMoney JSON lines: entities of the four schemata, and Ownership and
    UnknownLink links between entities of the file or of the archive (links are recorded
    for `organization`, private). Every line is checked first; nothing is written if any
    line is bad."""
    actions._check_member_of(actor, organization)
    actions._check_organization_in(organization, network)
    lines = actions.parse_json_lines(text)
    bad: list[actions.BadRow] = []
    entities: list[actions.EntityFields] = []
    links: list[tuple[int, dict[str, Any]]] = []
    for number, data in lines:
        try:
            proxy = model.get_proxy(data, cleaned=False)
        except (InvalidData, TypeError, ValueError, KeyError):
            bad.append(actions.BadRow(number, _("not a FollowTheMoney entity")))
            continue
        if not proxy.id:
            bad.append(actions.BadRow(number, _("an entity needs an id")))
            continue
        schema = proxy.schema.name
        try:
            if schema in Schema.values:
                entities.append(
                    actions._entity_fields(
                        actions.EntityFields(
                            name=proxy.caption if proxy.get("name") else "",
                            schema=schema,
                            aliases=[n for n in proxy.get("name")[1:]] + proxy.get("alias"),
                            countries=[c.upper() for c in proxy.get("country")],
                            identifiers={
                                ours: proxy.get(theirs)
                                for ours, theirs in IDENTIFIERS.items()
                                if proxy.schema.get(theirs) and proxy.get(theirs)
                            },
                            key=proxy.id,
                        )
                    )
                )
            elif schema in LINK_SCHEMATA:
                links.append((number, _link_data(proxy)))
            else:
                raise ValidationError(
                    _("the archive does not keep %(schema)s") % {"schema": schema}
                )
        except ValidationError as error:
            bad.append(actions.BadRow(number, "; ".join(error.messages)))
    known = {e.key for e in entities} | set(
        Entity.objects.filter(network=network).values_list("key", flat=True)
    )
    for number, link in links:
        missing = [k for k in (link["source"], link["target"]) if k not in known]
        if missing:
            bad.append(
                actions.BadRow(number, _("no entity with the key %(key)s") % {"key": missing[0]})
            )
    if bad:
        raise actions.ImportRefused(bad)
    created = 0
    with transaction.atomic():
        for fields in entities:
            _entity, new = actions._upsert_entity(actor, network, fields)
            created += new
        by_key = {e.key: e for e in Entity.objects.filter(network=network)}
        for _number, link in links:
            values = actions._link_values(
                actions.LinkFields(
                    kind=link["kind"],
                    source=by_key[link["source"]],
                    target=by_key[link["target"]],
                    share=link["share"],
                    evidence=link["evidence"],
                    visibility=Visibility.PRIVATE,
                ),
                network,
            )
            _row, new = actions._upsert(Link, actor, network, organization, link["key"], values)
            created += new
        updated = len(entities) + len(links) - created
        indexing.rescan(network)
        audit.record(
            actor,
            "archive.import",
            network,
            kind="followthemoney",
            created=created,
            updated=updated,
        )
    return actions.Imported(created=created, updated=updated)


def _link_data(proxy: Any) -> dict[str, Any]:
    if proxy.schema.name == "Ownership":
        source, target = proxy.first("owner"), proxy.first("asset")
        kind: str = LinkKind.OWNS
        share = proxy.first("percentage") or ""
    else:
        source, target = proxy.first("subject"), proxy.first("object")
        kind = proxy.first("role") or ""
        share = ""
        if kind not in LinkKind.values:
            raise ValidationError(
                _("a link's role is one of %(roles)s") % {"roles": ", ".join(LinkKind.values)}
            )
    if not source or not target:
        raise ValidationError(_("a link names both of its entities"))
    # Links this archive exported carry their organization and key in their id.
    found = re.fullmatch(r"link:[\w-]+:(.+)", str(proxy.id))
    key = actions._key(found[1] if found else str(proxy.id))
    return {
        "key": key,
        "kind": kind,
        "source": source,
        "target": target,
        "share": share,
        "evidence": proxy.first("summary") or "",
    }
