from __future__ import annotations

KEY = "payments.packet_gambling"


def _relay(ledger, gid: str, players: list[str], rounds: int, *, follow: bool, day: str = "2016-06-12") -> list[str]:  # type: ignore[no-untyped-def]
    """Group packets one minute apart; with `follow`, the largest claimer sends the next."""
    sender, ids = players[0], []
    for r in range(rounds):
        claimers = [p for p in players if p != sender]
        top = claimers[r % len(claimers)]
        for i, c in enumerate(claimers):
            ids.append(ledger.pay(sender, c, 30 if c == top else 5, f"{day}T21:{r:02d}:{i:02d}",
                                  conv=gid, packet=f"{gid}-k{r}"))
        sender = top if follow else claimers[(r + 1) % len(claimers)]  # someone who did not win
    return ids


def _people(ledger, n_officials: int = 2):  # type: ignore[no-untyped-def]
    officials = [ledger.person(f"o{i}", f"官{i}") for i in range(n_officials)]
    others = [ledger.person(f"x{i}", f"友{i}", official=False, external=True) for i in range(4)]
    return officials + others


def test_relay_where_the_largest_claimer_sends_next(ledger, run) -> None:  # type: ignore[no-untyped-def]
    players = _people(ledger)
    ledger.join("g1", players, name="周末娱乐群")
    ids = _relay(ledger, "g1", players, 8, follow=True)
    found = run(KEY, ledger.tables())
    assert sorted(f.person_id for f in found) == ["o0", "o1"]  # one lead per official taking part
    assert all(f.related_ids == tuple(sorted(ids)) for f in found)
    assert {(f.facts["packets"], f.facts["links"], f.facts["stake_hits"]) for f in found} == {(8, 7, 0)}
    assert "在群「周末娱乐群」参与连续红包 8 个" in found[0].reason


def test_stake_talk_without_a_relay(ledger, run) -> None:  # type: ignore[no-untyped-def]
    players = _people(ledger, 1)
    ledger.join("g1", players)
    _relay(ledger, "g1", players, 4, follow=False)
    assert run(KEY, ledger.tables()) == []
    ledger.say("m1", "g1", "x0", "2016-06-12T21:00:30", "扫雷开始，雷号7")
    ledger.say("m2", "g1", "x1", "2016-06-12T21:02:30", "踩雷了，包赔")
    [f] = run(KEY, ledger.tables())
    assert (f.person_id, f.facts["stake_hits"], f.facts["message_ids"], f.severity) == ("o0", 2, ["m1", "m2"], "medium")


def test_family_packet_rain_is_custom(ledger, run) -> None:  # type: ignore[no-untyped-def]
    players = _people(ledger)
    for p in players[1:]:
        ledger.relate("o0", p, "family")
    ledger.join("fam", players, name="相亲相爱一家人")
    _relay(ledger, "fam", players, 8, follow=False, day="2016-02-07")
    assert run(KEY, ledger.tables()) == []


def test_each_officials_lead_has_its_own_subject(ledger, run) -> None:  # type: ignore[no-untyped-def]
    players = _people(ledger, 3)
    ledger.join("g1", players)
    _relay(ledger, "g1", players, 8, follow=True)
    found = run(KEY, ledger.tables())
    assert len(found) == 3
    assert len({f.subject_id for f in found}) == 3
