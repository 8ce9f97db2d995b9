"""The domain model (docs/architecture.md §3). Import tables from here; Alembic reads this
metadata."""

from sqlmodel import SQLModel

from gaptrack.models.committee import (
    Committee,
    CommitteeContact,
    CommitteeCreate,
    CommitteeRead,
)
from gaptrack.models.derived import (
    CoverageCount,
    DerivedState,
    InferredCandidate,
    LostReference,
)
from gaptrack.models.document import (
    Document,
    DocumentItem,
    DocumentParticipant,
    DocumentRead,
    DocumentReference,
)
from gaptrack.models.enums import (
    CertificationKind,
    Chamber,
    CriterionKind,
    DocType,
    FindingDecisionKind,
    KnownBasis,
    KnownStatus,
    ParticipantRole,
    PartyKind,
    RequestKind,
    Responsiveness,
    SourceKind,
)
from gaptrack.models.event import Event, EventRead
from gaptrack.models.known import FindingDecision, KnownItem, KnownItemRead
from gaptrack.models.membership import CommitteeMember, Legislator
from gaptrack.models.party import (
    Counsel,
    CounselRead,
    Party,
    PartyAddress,
    PartyAlias,
    PartyCreate,
    PartyRead,
    Representation,
)
from gaptrack.models.privilege import PrivilegeEntry, PrivilegeEntryRead
from gaptrack.models.production import (
    Production,
    ProductionRead,
    ProductionRequest,
    SourceFile,
)
from gaptrack.models.request import (
    ItemCertification,
    ItemCriterion,
    Reply,
    Request,
    RequestCounsel,
    RequestItem,
    RequestItemRead,
    RequestRead,
    RequestRecipient,
    Signatory,
)

metadata = SQLModel.metadata

__all__ = [
    "CertificationKind",
    "Chamber",
    "Committee",
    "CommitteeContact",
    "CommitteeCreate",
    "CommitteeMember",
    "CommitteeRead",
    "Counsel",
    "CounselRead",
    "CoverageCount",
    "CriterionKind",
    "DerivedState",
    "DocType",
    "Document",
    "DocumentItem",
    "DocumentParticipant",
    "DocumentRead",
    "DocumentReference",
    "Event",
    "EventRead",
    "FindingDecision",
    "FindingDecisionKind",
    "InferredCandidate",
    "ItemCertification",
    "ItemCriterion",
    "KnownBasis",
    "KnownItem",
    "KnownItemRead",
    "KnownStatus",
    "Legislator",
    "LostReference",
    "ParticipantRole",
    "Party",
    "PartyAddress",
    "PartyAlias",
    "PartyCreate",
    "PartyKind",
    "PartyRead",
    "PrivilegeEntry",
    "PrivilegeEntryRead",
    "Production",
    "ProductionRead",
    "ProductionRequest",
    "Reply",
    "Representation",
    "Request",
    "RequestCounsel",
    "RequestItem",
    "RequestItemRead",
    "RequestKind",
    "RequestRead",
    "RequestRecipient",
    "Responsiveness",
    "Signatory",
    "SourceFile",
    "SourceKind",
    "metadata",
]
