"""Committees' side of a synthetic case: parties, letters with their items, productions."""

from __future__ import annotations

import datetime as dt

from gaptrack.importers.rows import TableWriter
from gaptrack.matching import normalise_name
from gaptrack.models import (
    ItemCertification,
    ItemCriterion,
    Party,
    PartyAddress,
    PartyAlias,
    Production,
    ProductionRequest,
    Request,
    RequestItem,
    RequestRecipient,
    Signatory,
)
from gaptrack.synthetic.common import FIRST, LAST, Ids, PartyPlan


def make_parties(count: int, ids: Ids, out: TableWriter) -> list[PartyPlan]:
    parties: list[PartyPlan] = []
    for index in range(count):
        first = FIRST[index % len(FIRST)]
        last = LAST[(index // len(FIRST) + index * 7) % len(LAST)]
        name = f"{first} {last}" if index < len(FIRST) else f"{first} {last} {index}"
        slug = f"syn-p{index:03d}"
        address = f"{first.lower()}.{last.lower()}{index}@syn-mail.example"
        party = PartyPlan(ids.take(Party), slug, name, address)
        parties.append(party)
        out.add(
            Party,
            {
                "id": party.id,
                "slug": slug,
                "name": name,
                "kind": "person",
                "description": "synthetic party",
            },
        )
        out.add(
            PartyAddress, {"id": ids.take(PartyAddress), "party_id": party.id, "address": address}
        )
        out.add(
            PartyAddress,
            {
                "id": ids.take(PartyAddress),
                "party_id": party.id,
                "address": f"{first[0].lower()}{last.lower()}{index}@syn-org.example",
            },
        )
        for alias in (name, f"{first[0]}. {last}" + (f" {index}" if index >= len(FIRST) else "")):
            out.add(
                PartyAlias,
                {
                    "id": ids.take(PartyAlias),
                    "party_id": party.id,
                    "alias": alias,
                    "alias_norm": normalise_name(alias),
                },
            )
    return parties


def make_requests(
    parties: list[PartyPlan], committee_ids: list[int], ids: Ids, out: TableWriter
) -> tuple[int, int]:
    """One letter per party with four items; every fifth party gets a deficiency letter."""
    requests = items = 0
    for index, party in enumerate(parties):
        sent = dt.date(2017, 6, 1) + dt.timedelta(days=index % 20)
        request_id = ids.take(Request)
        party.request_id = request_id
        out.add(
            Request,
            {
                "id": request_id,
                "slug": f"syn-r{index:03d}",
                "committee_id": committee_ids[index % len(committee_ids)],
                "kind": "initial",
                "title": f"Document request to {party.name}",
                "date_sent": sent,
                "deadline": sent + dt.timedelta(days=21),
                "follows_up_id": None,
                "summary": None,
                "source": "synthetic",
            },
        )
        out.add(
            RequestRecipient,
            {
                "id": ids.take(RequestRecipient),
                "request_id": request_id,
                "party_id": party.id,
                "counsel_id": None,
            },
        )
        for position, (name, role) in enumerate(
            (("A. Chair", "Chairman"), ("B. Member", "Ranking Member"))
        ):
            out.add(
                Signatory,
                {
                    "id": ids.take(Signatory),
                    "request_id": request_id,
                    "position": position,
                    "name": name,
                    "role": role,
                    "bioguide_id": None,
                },
            )
        specs = _item_specs(parties, index)
        item_ids = _make_items(request_id, specs, ids, out)
        party.item_ids = tuple(item_ids)
        requests += 1
        items += len(specs)
        if index % 5 == 0:
            _make_follow_up(index, party, sent, request_id, specs[0][1], item_ids[0],
                            committee_ids, ids, out)
            requests += 1
            items += 1
        if index % 7 == 3:
            _certify_none(party, item_ids[3], sent, ids, out)
    return requests, items


def make_productions(parties: list[PartyPlan], ids: Ids, out: TableWriter) -> int:
    for index, party in enumerate(parties):
        party.prefix = f"SYN{index:03d}-"
        received = dt.date(2017, 6, 15) + dt.timedelta(days=index % 20)
        pair = []
        for volume in (1, 2):
            production_id = ids.take(Production)
            pair.append(production_id)
            out.add(
                Production,
                {
                    "id": production_id,
                    "slug": f"syn-p{index:03d}-vol{volume}",
                    "party_id": party.id,
                    "volume": f"VOL00{volume}",
                    "date_received": received + dt.timedelta(days=21 * (volume - 1)),
                    "bates_prefix": party.prefix,
                    "certified_complete": False,
                    "load_format": "synthetic",
                },
            )
            out.add(
                ProductionRequest,
                {
                    "id": ids.take(ProductionRequest),
                    "production_id": production_id,
                    "request_id": party.request_id,
                },
            )
        party.production_ids = (pair[0], pair[1])
    return 2 * len(parties)


Criteria = list[tuple[str, str | PartyPlan]]


def _make_items(
    request_id: int, specs: list[tuple[str, str, Criteria]], ids: Ids, out: TableWriter
) -> list[int]:
    """A letter's numbered items and their criteria; their ids in order."""
    item_ids: list[int] = []
    for position, (number, text, criteria) in enumerate(specs):
        item_id = ids.take(RequestItem)
        item_ids.append(item_id)
        out.add(
            RequestItem,
            {
                "id": item_id,
                "request_id": request_id,
                "number": number,
                "position": position,
                "text": text,
                "date_from": dt.date(2016, 1, 1),
                "date_to": dt.date(2017, 6, 1),
                "deadline": None,
                "renews_item_id": None,
            },
        )
        for kind, value in criteria:
            target = value if isinstance(value, PartyPlan) else None
            out.add(
                ItemCriterion,
                {
                    "id": ids.take(ItemCriterion),
                    "item_id": item_id,
                    "kind": kind,
                    "value": target.slug if target else value,
                    "party_id": target.id if target else None,
                },
            )
    return item_ids


def _make_follow_up(
    index: int,
    party: PartyPlan,
    sent: dt.date,
    request_id: int,
    first_text: str,
    first_item: int,
    committee_ids: list[int],
    ids: Ids,
    out: TableWriter,
) -> None:
    """The deficiency letter that renews a party's first item."""
    follow_id = ids.take(Request)
    out.add(
        Request,
        {
            "id": follow_id,
            "slug": f"syn-r{index:03d}-f",
            "committee_id": committee_ids[index % len(committee_ids)],
            "kind": "deficiency",
            "title": f"Deficiencies in the production of {party.name}",
            "date_sent": sent + dt.timedelta(days=45),
            "deadline": sent + dt.timedelta(days=56),
            "follows_up_id": request_id,
            "summary": None,
            "source": "synthetic",
        },
    )
    out.add(
        RequestRecipient,
        {
            "id": ids.take(RequestRecipient),
            "request_id": follow_id,
            "party_id": party.id,
            "counsel_id": None,
        },
    )
    out.add(
        RequestItem,
        {
            "id": ids.take(RequestItem),
            "request_id": follow_id,
            "number": "1",
            "position": 0,
            "text": first_text,
            "date_from": dt.date(2016, 1, 1),
            "date_to": dt.date(2017, 6, 1),
            "deadline": None,
            "renews_item_id": first_item,
        },
    )


def _item_specs(parties: list[PartyPlan], index: int) -> list[tuple[str, str, Criteria]]:
    """The four items of party ``index``'s letter: (number, text, criteria)."""
    one, two, three = (parties[(index + k) % len(parties)] for k in (1, 2, 3))
    return [
        ("1", f"All communications with {one.name}.", [("correspondent", one)]),
        (
            "2",
            f"Documents concerning contacts with {two.name} or {three.name}.",
            [("correspondent", two), ("correspondent", three)],
        ),
        (
            "3",
            "Documents concerning any backchannel proposal.",
            [("keyword", "backchannel")] if index % 10 == 0 else [],
        ),
        (
            "4",
            "Your phone records for the period.",
            [("doc_type", "phone bill"), ("doc_type", "call record")],
        ),
    ]


def _certify_none(
    party: PartyPlan, item_id: int, sent: dt.date, ids: Ids, out: TableWriter
) -> None:
    """The party certifies it holds nothing responsive to its phone-records item."""
    out.add(
        ItemCertification,
        {
            "id": ids.take(ItemCertification),
            "item_id": item_id,
            "party_id": party.id,
            "kind": "no-responsive-documents",
            "date": sent + dt.timedelta(days=20),
            "statement": None,
        },
    )
