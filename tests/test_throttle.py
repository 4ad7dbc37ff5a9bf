"""Sign-in throttling per client and per role, with a ceiling over all clients (auth.Throttle, auth.sign_in).

Seen before: one counter for the whole server — an anonymous visitor's wrong guesses kept the coordinatrice out
(« Trop de tentatives : réessayez dans 14 s » with the right password), and a correct `lecture` sign-in reset the
counter, allowing hundreds of coordination guesses. The clock is a stand-in: no test waits for real time.
"""

from __future__ import annotations

import threading

import pytest

from lne_data import auth

from .conftest import APP_PASSWORD, APP_PASSWORD_HASH

READING = "lecture-de-test-2026"
SETTINGS = auth.Settings(coordination_hash=APP_PASSWORD_HASH, lecture_hash=auth.hash_password(READING),
                         lecture_protegee=False)
COORDINATRICE = auth.client_key("198.51.100.7", [], "s1")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guessing(throttle: auth.Throttle, clients: list[str], rounds: int, answers: list[str]) -> list[threading.Thread]:
    """One thread per client, each trying `rounds` wrong passwords as fast as it can, all starting together."""
    start = threading.Barrier(len(clients))

    def guess(client: str) -> None:
        start.wait()
        for n in range(rounds):
            answers.append(auth.sign_in(f"essai {n}", SETTINGS, throttle, client)[1])

    threads = [threading.Thread(target=guess, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    return threads


def test_another_clients_guesses_do_not_keep_the_coordinatrice_out():
    throttle = auth.Throttle(clock=Clock())  # time stands still: every wait is still running
    answers: list[str] = []
    attackers = [auth.client_key(f"203.0.113.{n}", [], "") for n in range(3)]
    threads = guessing(throttle, attackers, 4, answers)
    granted = auth.sign_in(APP_PASSWORD, SETTINGS, throttle, COORDINATRICE)  # while they guess
    for thread in threads:
        thread.join(timeout=60)
    assert granted == ("coordination", "Connectée avec le rôle coordination.")
    assert answers.count("Mot de passe incorrect.") == len(attackers)  # one guess each, then they wait
    assert all(a.startswith("Trop de tentatives : réessayez dans 1 s") for a in answers if "incorrect" not in a)
    # And afterwards, with the attackers still held back, she signs in again at once.
    assert auth.sign_in(APP_PASSWORD, SETTINGS, throttle, COORDINATRICE)[0] == "coordination"
    assert throttle.wait(attackers[0]) > 0


def test_a_reading_sign_in_does_not_clear_the_coordination_failures():
    clock = Clock()
    throttle = auth.Throttle(clock=clock)
    client = auth.client_key("203.0.113.5", [], "")
    for expected_wait in (1, 2, 4):
        assert auth.sign_in("mauvais", SETTINGS, throttle, client)[1] == "Mot de passe incorrect."
        assert throttle.wait(client, "coordination") == expected_wait
        clock.now += expected_wait
    assert auth.sign_in(READING, SETTINGS, throttle, client)[0] == "lecture"
    assert throttle.wait(client, "lecture") == 0
    # The next coordination guess waits as the fourth in a row, not as a first one.
    auth.sign_in("mauvais", SETTINGS, throttle, client)
    assert throttle.wait(client, "coordination") == 8


def test_a_role_held_back_is_not_checked_and_the_message_does_not_say_incorrect():
    clock = Clock()
    throttle = auth.Throttle(clock=clock)
    client = auth.client_key("203.0.113.5", [], "")
    auth.sign_in("mauvais", SETTINGS, throttle, client)
    # The right coordination password, right after: not checked (the wait runs), and never called « incorrect ».
    role, message = auth.sign_in(APP_PASSWORD, SETTINGS, throttle, client)
    assert role is None and message == "Trop de tentatives : réessayez dans 1 s."
    clock.now += 1
    assert auth.sign_in(APP_PASSWORD, SETTINGS, throttle, client)[0] == "coordination"
    assert throttle.wait(client, "coordination") == 0


def test_the_ceiling_over_all_clients_slows_everyone_for_a_few_seconds_at_most():
    clock = Clock()
    throttle = auth.Throttle(clock=clock)
    answers: list[str] = []
    attackers = [auth.client_key(None, [], f"session-{n}") for n in range(auth.CROWD_FAILURES + 5)]
    for thread in guessing(throttle, attackers, 2, answers):
        thread.join(timeout=120)
    assert throttle.crowded()
    assert answers.count("Mot de passe incorrect.") == auth.CROWD_FAILURES  # then the ceiling held the others
    # A new session (a guesser opening another tab) waits before its first guess is checked...
    newcomer = auth.client_key(None, [], "session-neuve")
    assert auth.sign_in("essai", SETTINGS, throttle, newcomer)[1] == (
        "Trop de tentatives de connexion sur ce serveur en ce moment : réessayez dans 5 s.")
    # ... and so does the coordinatrice, but no longer than CROWD_WAIT, even while the guessing goes on.
    role, message = auth.sign_in(APP_PASSWORD, SETTINGS, throttle, COORDINATRICE)
    assert role is None and "sur ce serveur" in message
    clock.now += auth.CROWD_WAIT - 1
    for thread in guessing(throttle, attackers, 1, answers):
        thread.join(timeout=120)
    clock.now += 1
    for thread in guessing(throttle, attackers[:3], 1, answers):  # the others keep trying at that very moment
        thread.join(timeout=120)
    assert throttle.crowded()
    assert auth.sign_in(APP_PASSWORD, SETTINGS, throttle, COORDINATRICE)[0] == "coordination"
    # Once guesses stop failing for a minute, nobody is slowed by the others any more.
    clock.now += auth.CROWD_WINDOW
    assert not throttle.crowded()
    assert auth.sign_in(APP_PASSWORD, SETTINGS, throttle, auth.client_key(None, [], "plus-tard"))[0] == "coordination"


def test_memory_stays_bounded(monkeypatch):
    monkeypatch.setattr(auth, "MAX_CLIENTS", 50)
    monkeypatch.setattr(auth, "verify_password", lambda password, stored: False)  # the bookkeeping, not scrypt
    clock = Clock()
    throttle = auth.Throttle(clock=clock)
    for n in range(500):
        clock.now += 10  # never crowded: 6 failures a minute
        auth.sign_in("essai", SETTINGS, throttle, f"session:{n}")
        assert len(throttle.clients) <= 50
    assert len(throttle.recent_failures) <= auth.CROWD_FAILURES
    # A client quiet for FORGET_AFTER seconds is forgotten when the next one comes.
    clock.now += auth.FORGET_AFTER + auth.MAX_WAIT + 1
    auth.sign_in("essai", SETTINGS, throttle, "session:dernier")
    assert list(throttle.clients) == ["session:dernier"]


@pytest.mark.parametrize("address, forwarded, expected", [
    ("203.0.113.9", ["10.0.0.1"], "ip:203.0.113.9"),  # a direct connection: its address; headers are not trusted
    (None, ["1.2.3.4, 203.0.113.9"], "ip:203.0.113.9"),  # behind a local proxy: what it appended last
    (None, ["1.2.3.4", "203.0.113.9"], "ip:203.0.113.9"),
    (None, [], "session:s1"),  # the loopback without a proxy (or a test): the browser session
    ("2001:db8:1:2:aaaa::1", [], "ip:2001:db8:1:2::/64"),  # one subscriber's IPv6 addresses count as one
    ("::ffff:203.0.113.9", [], "ip:203.0.113.9"),
    ("pas une adresse", [], "adresse:pas une adresse"),
])
def test_who_is_signing_in(address, forwarded, expected):
    assert auth.client_key(address, forwarded, "s1") == expected
    assert auth.client_key("2001:db8:1:2:bbbb::7", [], "s2") == auth.client_key("2001:db8:1:2:aaaa::1", [], "s1")
