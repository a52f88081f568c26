"""Pages of the living archive: thin functions of access, form, action, render.

Every page is for the members of the network; what each one lists comes from
`archive.access`, so a private item of another organization never shows, and a testimony's
redactions are read only by the organization that recorded it.
"""

import dataclasses
import json
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from internationale.archive import (
    access,
    actions,
    ftm,
    graph,
    indexing,
    recordings,
    resolution,
    search,
    xref,
)
from internationale.archive.forms import (
    EntityForm,
    ImportForm,
    JudgementForm,
    LinkForm,
    RateForm,
    SearchForm,
    TacticForm,
    TestimonyForm,
    TranslationForm,
    WageForm,
)
from internationale.archive.models import (
    REDACTED,
    Judgement,
    LegalTactic,
    Level,
    Link,
    Rate,
    SearchEntry,
    Testimony,
    Translation,
    WageRecord,
)
from internationale.archive.text import linked
from internationale.core.money import Money, MoneyError
from internationale.network import access as network_access
from internationale.network.access import signed_in
from internationale.network.forms import add_errors
from internationale.network.models import Member, Network
from internationale.relay.files import audio_response
from internationale.relay.models import Transcript


def _network(request: HttpRequest, slug: str) -> tuple[Member, Network]:
    member = signed_in(request)
    return member, network_access.access_network_members(member, slug)


def _organizations(member: Member, network: Network) -> Any:
    organizations = access.may_record(member, network)
    if not organizations:
        raise PermissionDenied
    return network.organizations.filter(pk__in=[o.pk for o in organizations]).order_by("name")


@login_required
def home(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    appearances = [a for a in xref.cross_reference(member, found) if a.shared][:5]
    return render(
        request,
        "archive/home.html",
        {
            "network": found,
            "search_form": SearchForm(),
            "testimonies": access.testimonies(member, found).select_related("organization")[:10],
            "tactics": access.legal_tactics(member, found).select_related("organization")[:5],
            "entities": access.entities_of(member, found).count(),
            "appearances": appearances,
            "may_judge": access.may_judge(member, found),
            "may_record": bool(access.may_record(member, found)),
        },
    )


@login_required
def export(request: HttpRequest, network: str) -> HttpResponse:
    """The network's entities and the links the member may read, as FollowTheMoney JSON
    lines for Aleph and OpenSanctions tools."""
    member, found = _network(request, network)
    lines = ftm.export(found, iter(access.links(member, found)))
    body = "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in lines)
    response = HttpResponse(body, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-archive.ftm.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def search_page(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    form = SearchForm(request.GET or None)
    hits: list[search.Hit] = []
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        hits = search.search(
            member,
            found,
            data["q"],
            search.Filters(kind=data["kind"], language=data["language"], country=data["country"]),
        )
    return render(
        request,
        "archive/search.html",
        {"network": found, "form": form, "hits": hits, "searched": bool(request.GET.get("q"))},
    )


# Entities ------------------------------------------------------------------------------------


def _entity_fields(data: dict[str, Any], key: str = "") -> actions.EntityFields:
    identifiers = {}
    if data["lei"]:
        identifiers["leiCode"] = [data["lei"].strip()]
    if data["registration"]:
        identifiers["registrationNumber"] = [data["registration"].strip()]
    return actions.EntityFields(
        name=data["name"],
        schema=data["schema"],
        aliases=[line.strip() for line in data["aliases"].splitlines() if line.strip()],
        countries=[c.upper() for c in data["countries"].replace(",", " ").split()],
        identifiers=identifiers,
        key=key,
    )


@login_required
def entities(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    form = EntityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entity = actions.save_entity(
                member, network=found, fields=_entity_fields(form.cleaned_data)
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Entity saved."))
            return redirect("archive:entity", entity.pk)
    groups = resolution.groups(member, found)
    listed = list(access.entities_of(member, found))
    return render(
        request,
        "archive/entities.html",
        {"network": found, "form": form, "entities": listed, "groups": groups},
    )


@login_required
def entity(request: HttpRequest, entity: int) -> HttpResponse:
    member = signed_in(request)
    found = access.access_entity(member, entity)
    network = found.network
    appearance = xref.appearance(member, network, found)
    common, pay = xref.pay_comparison(member, network, appearance.group)
    mentions = list(access.mentions_of(member, network, [found]))
    judgements = Judgement.objects.filter(network=network).filter(
        left=found
    ) | Judgement.objects.filter(network=network, right=found)
    return render(
        request,
        "archive/entity.html",
        {
            "network": network,
            "entity": found,
            "appearance": appearance,
            "group": appearance.group,
            "mentions": mentions,
            "links_out": access.links(member, network).filter(source=found),
            "links_in": access.links(member, network).filter(target=found),
            "wages": [p for p in pay if p.record.employer_id == found.pk],
            "common": common,
            "judgements": judgements.select_related("left", "right"),
            "tactics": access.legal_tactics(member, network).filter(against=found),
            "may_judge": access.may_judge(member, network),
        },
    )


# Knowledge -----------------------------------------------------------------------------------


def _on_disk(upload: UploadedFile) -> Path:
    """An upload as a file of its own on disk (for ffmpeg), whatever Django kept it as."""
    if isinstance(upload, TemporaryUploadedFile):
        return Path(upload.temporary_file_path())
    with tempfile.NamedTemporaryFile(delete=False, suffix=".upload") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
    return Path(copy.name)


@login_required
def new_testimony(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    organizations = _organizations(member, found)
    form = TestimonyForm(request.POST or None, request.FILES or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            testimony = _record_testimony(member, found, data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Testimony saved."))
            return redirect("archive:testimony", testimony.pk)
    return render(request, "archive/testimony_new.html", {"network": found, "form": form})


@login_required
def edit_testimony(request: HttpRequest, testimony: int) -> HttpResponse:
    """Its organization corrects a testimony: the words (a machine transcript, say), its
    redactions, consent and visibility, or its recording."""
    member = signed_in(request)
    found = access.access_testimony(member, testimony)
    if not access.is_own(member, found):
        raise PermissionDenied
    organizations = found.network.organizations.filter(pk=found.organization_id)
    initial = {
        "organization": found.organization,
        "title": found.title,
        "speaker": found.speaker,
        "language": found.language,
        "text": found.text,
        "consent": found.consent,
        "visibility": found.visibility,
    }
    form = TestimonyForm(
        request.POST or None,
        request.FILES or None,
        organizations=organizations,
        initial=initial,
        recorded=bool(found.audio_ogg),
    )
    if request.method == "POST" and form.is_valid():
        try:
            _record_testimony(member, found.network, form.cleaned_data, key=found.key)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Testimony saved."))
            return redirect("archive:testimony", found.pk)
    return render(
        request,
        "archive/testimony_edit.html",
        {"network": found.network, "testimony": found, "form": form},
    )


def _record_testimony(
    member: Member, network: Network, data: dict[str, Any], *, key: str = ""
) -> Testimony:
    """Record the testimony and, when a recording comes with it, its safe copies: both or
    neither (a refused recording leaves no testimony behind)."""
    fields = actions.TestimonyFields(
        title=data["title"],
        speaker=data["speaker"],
        language=data["language"],
        text=data["text"],
        consent=data["consent"],
        visibility=data["visibility"],
        key=key,
    )
    upload = data.get("audio")
    with transaction.atomic():
        testimony = actions.record_testimony(
            member,
            network=network,
            organization=data["organization"],
            testimony=fields,
            recording=upload is not None or bool(key),
        )
        if upload is not None:
            testimony = recordings.attach_recording(member, testimony, _on_disk(upload))
    return testimony


def _mentions(member: Member, item: Any, text: str, language: str | None) -> SafeString:
    """The text with its mentions linked, for members of the item's network; a reader from
    outside it (of a public item) reads the text alone, not which names the network
    follows."""
    if not access.is_archive_member(member, item.network):
        return linked(text, [])
    return linked(text, indexing.mention_index(item.network).find(text, language=language))


def _audio_shared(member: Member, testimony: Testimony) -> bool:
    """A recording says what its redactions cut: only its organization hears the recording
    of a testimony with redactions."""
    return access.is_own(member, testimony) or not REDACTED.search(testimony.text)


@login_required
def testimony(request: HttpRequest, testimony: int) -> HttpResponse:
    member = signed_in(request)
    return _testimony_page(request, member, access.access_testimony(member, testimony))


def _testimony_page(
    request: HttpRequest,
    member: Member,
    found: Testimony,
    form: TranslationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    translations = list(found.translations.all())
    language = request.GET.get("language", "")
    shown = next((t for t in translations if t.language == language), None)
    if shown is not None:
        title, text, shown_language = (
            shown.title,
            access.translation_text(member, shown),
            shown.language,
        )
    else:
        title, text, shown_language = (
            found.title,
            access.testimony_text(member, found),
            found.language,
        )
    return render(
        request,
        "archive/testimony.html",
        {
            "network": found.network,
            "item": found,
            "testimony": found,
            "title": title,
            "body": _mentions(member, found, text, shown_language),
            "shown": shown,
            "shown_language": shown_language,
            "translations": translations,
            "own": access.is_own(member, found),
            "audio": bool(found.audio_ogg) and _audio_shared(member, found),
            "form": form or TranslationForm(initial={"title": found.title}),
            "member": member,
        },
        status=status,
    )


@login_required
def testimony_audio(request: HttpRequest, testimony: int, kind: str) -> HttpResponseBase:
    member = signed_in(request)
    found = access.access_testimony(member, testimony)
    if not _audio_shared(member, found):
        raise Http404
    response = audio_response(request, found, kind)  # type: ignore[arg-type]
    if not found.is_visible_to(None):
        response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def tactic(request: HttpRequest, tactic: int) -> HttpResponse:
    member = signed_in(request)
    return _tactic_page(request, member, access.access_tactic(member, tactic))


def _tactic_page(
    request: HttpRequest,
    member: Member,
    found: LegalTactic,
    form: TranslationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    translations = list(found.translations.all())
    language = request.GET.get("language", "")
    shown = next((t for t in translations if t.language == language), None)
    text = access.translation_text(member, shown) if shown else found.tactic
    return render(
        request,
        "archive/tactic.html",
        {
            "network": found.network,
            "item": found,
            "tactic": found,
            "title": shown.title if shown else found.issue,
            "body": _mentions(member, found, text, shown.language if shown else None),
            "shown": shown,
            "translations": translations,
            "form": form or TranslationForm(initial={"title": found.issue}),
            "member": member,
        },
        status=status,
    )


def _item(member: Member, kind: str, pk: int) -> Any:
    if kind == "testimony":
        return access.access_testimony(member, pk)
    if kind == "tactic":
        return access.access_tactic(member, pk)
    raise Http404


@login_required
@require_POST
def translate(request: HttpRequest, kind: str, item: int) -> HttpResponse:
    member = signed_in(request)
    found = _item(member, kind, item)
    form = TranslationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_translation(
                member,
                item=found,
                language=data["language"],
                title=data["title"],
                text=data["text"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Translation saved."))
            return redirect(
                reverse(f"archive:{kind}", args=[found.pk]) + f"?language={data['language']}"
            )
    # The page again, with what the person wrote and what is wrong with it.
    page = _testimony_page if kind == "testimony" else _tactic_page
    return page(request, member, found, form=form, status=400)


@login_required
@require_POST
def review_translation(request: HttpRequest, translation: int) -> HttpResponse:
    member = signed_in(request)
    found = get_object_or_404(
        Translation.objects.select_related("testimony", "tactic"), pk=translation
    )
    kind = "testimony" if found.testimony_id else "tactic"
    item = _item(member, kind, found.item.pk)
    try:
        actions.review_translation(member, found)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Translation reviewed."))
    return redirect(reverse(f"archive:{kind}", args=[item.pk]) + f"?language={found.language}")


def _from_form(fields: Any, data: dict[str, Any]) -> Any:
    """An action's fields from a form's cleaned data, field by field of the same name."""
    return fields(**{f.name: data[f.name] for f in dataclasses.fields(fields) if f.name in data})


def _knowledge_page(
    request: HttpRequest,
    network: str,
    form_class: Any,
    template: str,
    save: Any,
) -> HttpResponse:
    member, found = _network(request, network)
    organizations = _organizations(member, found)
    form = form_class(
        request.POST or None,
        organizations=organizations,
        entities=access.entities_of(member, found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            target = save(member, found, form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(target)
    return render(request, template, {"network": found, "form": form})


@login_required
def new_wage(request: HttpRequest, network: str) -> HttpResponse:
    def save(member: Member, network: Network, data: dict[str, Any]) -> str:
        record = actions.record_wage(
            member,
            network=network,
            organization=data["organization"],
            wage=_from_form(actions.Wage, data),
        )
        return reverse("archive:entity", args=[record.employer_id]) + f"#wage-{record.pk}"

    return _knowledge_page(request, network, WageForm, "archive/wage_new.html", save)


@login_required
def new_link(request: HttpRequest, network: str) -> HttpResponse:
    def save(member: Member, network: Network, data: dict[str, Any]) -> str:
        link = actions.record_link(
            member,
            network=network,
            organization=data["organization"],
            link=_from_form(actions.LinkFields, data),
        )
        return reverse("archive:entity", args=[link.source_id]) + f"#link-{link.pk}"

    return _knowledge_page(request, network, LinkForm, "archive/link_new.html", save)


@login_required
def new_tactic(request: HttpRequest, network: str) -> HttpResponse:
    def save(member: Member, network: Network, data: dict[str, Any]) -> str:
        tactic = actions.record_tactic(
            member,
            network=network,
            organization=data["organization"],
            tactic=_from_form(actions.TacticFields, data),
        )
        return reverse("archive:tactic", args=[tactic.pk])

    return _knowledge_page(request, network, TacticForm, "archive/tactic_new.html", save)


@login_required
def import_page(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    organizations = _organizations(member, found)
    form = ImportForm(request.POST or None, request.FILES or None, organizations=organizations)
    bad: list[actions.BadRow] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            text = data["file"].read().decode("utf-8")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        else:
            try:
                done = actions.import_csv(
                    member,
                    network=found,
                    organization=data["organization"],
                    kind=data["kind"],
                    text=text,
                )
            except actions.ImportRefused as refused:
                bad = refused.rows
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Imported: %(created)d new, %(updated)d updated.")
                    % {"created": done.created, "updated": done.updated},
                )
                return redirect("archive:home", found.slug)
    return render(
        request,
        "archive/import.html",
        {"network": found, "form": form, "bad": bad, "columns": actions.IMPORT_COLUMNS},
    )


# Resolution ----------------------------------------------------------------------------------


@login_required
def resolution_page(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    level = request.GET.get("level", Level.GROUP)
    if level not in Level.values:
        level = Level.GROUP
    judgements = Judgement.objects.filter(network=found, level=level).select_related(
        "left", "right", "judged_by"
    )[:100]
    return render(
        request,
        "archive/resolution.html",
        {
            "network": found,
            "level": level,
            "levels": Level.choices,
            "suggestions": resolution.suggestions(member, found, level),
            "judgements": judgements,
            "may_judge": access.may_judge(member, found),
            "reason_labels": resolution.reason_labels,
        },
    )


@login_required
@require_POST
def judge(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    form = JudgementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose same, different or unsure."))
        return redirect("archive:resolution", found.slug)
    data = form.cleaned_data
    records = access.entities_of(member, found).in_bulk([data["left"], data["right"]])
    if len(records) != 2:
        raise Http404
    try:
        resolution.judge(
            member,
            network=found,
            level=data["level"],
            first=records[data["left"]],
            second=records[data["right"]],
            verdict=data["verdict"],
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Judgement saved."))
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(reverse("archive:resolution", args=[found.slug]) + f"?level={data['level']}")


@login_required
@require_POST
def withdraw(request: HttpRequest, judgement: int) -> HttpResponse:
    member = signed_in(request)
    found = access.access_judgement(member, judgement)
    level = found.level
    resolution.withdraw(member, found)
    messages.success(request, _("Judgement withdrawn."))
    return redirect(reverse("archive:resolution", args=[found.network.slug]) + f"?level={level}")


# Cross-reference -----------------------------------------------------------------------------


@login_required
def cross_reference(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    appearances = xref.cross_reference(member, found)
    return render(
        request,
        "archive/cross_reference.html",
        {
            "network": found,
            "appearances": [a for a in appearances if a.shared],
            "single": [a for a in appearances if not a.shared],
            "rhetoric": xref.recurring_rhetoric(member, found),
        },
    )


@login_required
def group(request: HttpRequest, entity: int) -> HttpResponse:
    member = signed_in(request)
    head = access.access_entity(member, entity)
    network = head.network
    appearance = xref.appearance(member, network, head)
    common, pay = xref.pay_comparison(member, network, appearance.group)
    return render(
        request,
        "archive/group.html",
        {
            "network": network,
            "appearance": appearance,
            "group": appearance.group,
            "evidence": appearance.by_kind(),
            "pay": pay,
            "common": common,
        },
    )


@login_required
def network_map(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    appearances = [a for a in xref.cross_reference(member, found)]
    nodes: dict[str, graph.Node] = {}
    edges: dict[tuple[str, str], int] = {}
    for appearance in appearances:
        group_id = f"g{appearance.group.id}"
        organizations = appearance.organizations
        nodes[group_id] = graph.Node(
            id=group_id,
            label=appearance.group.head.name,
            kind="group",
            weight=max(1, len(organizations)),
            href=reverse("archive:group", args=[appearance.group.head.pk]),
            detail=", ".join(o.name for o in organizations),
        )
        for item in appearance.evidence:
            if item.organization is None:
                continue
            org_id = f"o{item.organization.pk}"
            nodes.setdefault(
                org_id,
                graph.Node(
                    id=org_id,
                    label=item.organization.name,
                    kind="organization",
                    weight=1,
                    href=item.organization.get_absolute_url(),
                ),
            )
            edges[(org_id, group_id)] = edges.get((org_id, group_id), 0) + 1
    named: dict[str, int] = {}
    for org_id, _group_id in edges:
        named[org_id] = named.get(org_id, 0) + 1
    for org_id, count in named.items():
        nodes[org_id] = dataclasses.replace(nodes[org_id], weight=count)
    svg = graph.render_svg(
        list(nodes.values()),
        [graph.Edge(source, target, weight) for (source, target), weight in edges.items()],
        title=_("Corporate groups and the organizations whose struggles they appear in"),
        description=_(
            "Each circle is a corporate group, larger when more organizations' records name it; "
            "each square is an organization; a line joins them when the organization's records "
            "name the group."
        ),
    )
    return render(
        request,
        "archive/map.html",
        {
            "network": found,
            "svg": mark_safe(svg),  # noqa: S308 - the map module escapes every text it writes
            "appearances": [a for a in appearances if a.shared],
        },
    )


@login_required
def rates(request: HttpRequest, network: str) -> HttpResponse:
    member, found = _network(request, network)
    common = xref.common_currency(found)
    form = RateForm(request.POST or None, initial={"common_currency": common})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        amount, value = (
            _money(form, field, data[field], data[currency].strip().upper())
            for field, currency in (("amount", "currency"), ("common", "common_currency"))
        )
        if amount is not None and value is not None:
            try:
                actions.record_rate(
                    member, network=found, on=data["on"], amount=amount, common=value
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Rate saved."))
                return redirect("archive:rates", found.slug)
    return render(
        request,
        "archive/rates.html",
        {
            "network": found,
            "form": form,
            "common": common,
            "rates": Rate.objects.filter(network=found).order_by("currency", "-on"),
        },
    )


def _money(form: RateForm, field: str, text: str, currency: str) -> Money | None:
    try:
        return Money.parse(text, currency)
    except MoneyError:
        form.add_error(
            field,
            _("Enter an amount in %(currency)s with no more decimals than it has.")
            % {"currency": currency},
        )
        return None


@login_required
def hit(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """Where a search result leads, for a reader who may read it."""
    member = signed_in(request)
    entry = SearchEntry.objects.visible_to(member).filter(kind=kind, object_id=object_id).first()
    if entry is None:
        raise Http404
    if kind in ("testimony", "tactic", "entity"):
        return redirect(f"archive:{kind}", object_id)
    if kind == "translation":
        translation = get_object_or_404(Translation, pk=object_id)
        item_kind = "testimony" if translation.testimony_id else "tactic"
        return redirect(
            reverse(f"archive:{item_kind}", args=[translation.item.pk])
            + f"?language={translation.language}"
        )
    if kind == "wage":
        wage = get_object_or_404(WageRecord, pk=object_id)
        return redirect(reverse("archive:entity", args=[wage.employer_id]) + f"#wage-{wage.pk}")
    if kind == "link":
        link = get_object_or_404(Link, pk=object_id)
        return redirect(reverse("archive:entity", args=[link.source_id]) + f"#link-{link.pk}")
    if kind == "transcript":
        transcript = get_object_or_404(Transcript, pk=object_id)
        return redirect("relay:report", transcript.report_id)
    raise Http404
