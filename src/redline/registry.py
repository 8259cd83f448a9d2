"""THE one place plug-ins are registered: text detectors and record analyzers.

A rule's `when:` entry is `{<registry key>: <config>}`. Adding a detector touches its own
module, one line here, and its test module; the scanner is never edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from redline.contracts import RecordAnalyzer, TextDetectorFactory
from redline.detectors import (
    canvassing,
    doc_number,
    flattery,
    frames,
    gambling,
    gift_offer,
    lexicon,
    near,
    pii,
    regex,
    secret_marks,
)
from redline.detectors.classifiers import conduct, offensive, person_name, promotion
from redline.groups import (
    classified_content,
    daily_report,
    display_name,
    external_member,
    faction,
    flattery as group_flattery,
    off_topic,
    owner,
    stale_member,
    unregistered,
)
from redline.payments import (
    event_gifts,
    family_proxy,
    holiday_gifts,
    large_sums,
    managed_party_gifts,
    packet_gambling,
    repeated_gifts,
    vote_buying,
)

TEXT_DETECTORS: Final[Mapping[str, type[TextDetectorFactory]]] = MappingProxyType({
    "lexicon": lexicon.LexiconDetector,
    "regex": regex.RegexDetector,
    "pii": pii.PiiDetector,
    "secret_marks": secret_marks.SecretMarksDetector,
    "doc_number": doc_number.DocNumberDetector,
    "gambling": gambling.GamblingDetector,
    "canvassing": canvassing.CanvassingDetector,
    "gift_offer": gift_offer.GiftOfferDetector,
    "flattery": flattery.FlatteryDetector,
    "near": near.NearDetector,
    "frames": frames.FramesDetector,
    "clf.offensive": offensive.OffensiveClassifier,
    "clf.promotion": promotion.PromotionClassifier,
    "clf.conduct": conduct.ConductClassifier,
    "pii.person_name": person_name.PersonNameFactory,
})

RECORD_ANALYZERS: Final[Mapping[str, type[RecordAnalyzer]]] = MappingProxyType({
    "payments.managed_party_gifts": managed_party_gifts.ManagedPartyGifts,
    "payments.repeated_gifts": repeated_gifts.RepeatedGifts,
    "payments.holiday_gifts": holiday_gifts.HolidayGifts,
    "payments.event_gifts": event_gifts.EventGifts,
    "payments.large_sums": large_sums.LargeSums,
    "payments.family_proxy": family_proxy.FamilyProxy,
    "payments.packet_gambling": packet_gambling.PacketGambling,
    "payments.vote_buying": vote_buying.VoteBuying,
    "groups.unregistered": unregistered.Unregistered,
    "groups.owner": owner.Owner,
    "groups.display_name": display_name.DisplayName,
    "groups.stale_member": stale_member.StaleMember,
    "groups.external_member": external_member.ExternalMember,
    "groups.classified_content": classified_content.ClassifiedContent,
    "groups.daily_report": daily_report.DailyReport,
    "groups.flattery": group_flattery.Flattery,
    "groups.off_topic": off_topic.OffTopic,
    "groups.faction": faction.Faction,
})
