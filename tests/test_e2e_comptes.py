"""Personal sign-in end to end, in Chromium, against a real OpenID Connect provider (panva's oidc-provider, run by
node: tests/oidc/provider.mjs) and a real `streamlit run server.py` whose secrets.toml has the `[auth]` section README
« Comptes et ProConnect » describes. The accounts are made with the command line (`comptes ajouter`) before the
dashboard starts, as the coordination does.

Each person signs in through the provider's own sign-in page and comes back with the role of her account, her name
written with what she does; signing out goes through the provider's end_session_endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deploy.serving import free_port

from .conftest import (
    GOOD,
    PATIENT,
    SHOTS,
    auth_secrets,
    menu,
    oidc_provider,
    run_cli,
    saisie_xlsx,
    settle,
    streamlit_server,
)

pytestmark = pytest.mark.e2e

PEOPLE = {
    "camille": {"email": "Camille.Martin@lot-numerique.fr", "given_name": "Camille", "usual_name": "Martin"},
    "dominique": {"email": "dominique.roux@cci-lot.fr", "given_name": "Dominique", "usual_name": "Roux"},
    "elise": {"email": "elise.blanc@lot.fr", "given_name": "Élise", "usual_name": "Blanc"},
    "sans-compte": {"email": "agent.sans.compte@exemple.gouv.fr", "given_name": "Agent", "usual_name": "Inconnu"},
}
ACCOUNTS = [
    ["camille.martin@lot-numerique.fr", "--nom", "Camille Martin", "--role", "coordination"],
    ["dominique.roux@cci-lot.fr", "--nom", "Dominique Roux", "--role", "porteur", "--structure", "CCI du Lot"],
    ["elise.blanc@lot.fr", "--nom", "Élise Blanc", "--role", "lecture"],
]


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("comptes")
    db_file = folder / "lne.duckdb"
    assert run_cli("init", "--db", str(db_file)).returncode == 0
    for account in ACCOUNTS:
        done = run_cli("comptes", "ajouter", *account, "--db", str(db_file), "--auteur", "installation")
        assert done.returncode == 0, done.stderr
    port = free_port()
    with oidc_provider(f"http://127.0.0.1:{port}/oauth2callback", PEOPLE) as issuer:
        secrets = auth_secrets(folder, port, issuer)
        with streamlit_server(db_file, port=port, secrets=secrets) as (url, _process):
            yield {"url": url, "issuer": issuer, "db": db_file, "folder": folder}


@pytest.fixture
def computers(browser: Any) -> Iterator[Any]:
    """A browser of its own for each person (`computers()` gives a new one's tab): the provider's session and
    Streamlit's identity cookie are per browser, as on two people's computers."""
    contexts = []

    def new() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        # The provider's development pages load a web font from the Internet, which this machine does not reach.
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


@pytest.fixture
def page(computers: Any) -> Any:
    return computers()


def sign_in(page: Any, url: str, login: str, path: str = "/Saisie") -> None:
    """Open `path`, click the provider's button, sign in on the provider's page as `login` (any password: the
    provider's development page), come back to the dashboard."""
    page.goto(url + path, wait_until="domcontentloaded")
    settle(page, PATIENT)
    page.get_by_role("button", name="S'identifier avec le fournisseur de test").click()
    page.wait_for_url(re.compile(r"/interaction/"), timeout=PATIENT)
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("mot-de-passe-du-fournisseur")
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(url)), timeout=PATIENT)
    settle(page, PATIENT)


def sidebar(page: Any) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_the_coordinatrice_signs_in_imports_under_her_name_and_signs_out(dashboard: dict, page: Any,
                                                                         tmp_path: Path) -> None:
    url = dashboard["url"]
    sign_in(page, url, "camille")
    assert "Connecté(e) : Camille Martin (coordination)" in sidebar(page)
    menu(page, "Saisie trimestrielle")
    # Her name comes from her account: nothing to type.
    assert page.get_by_text("Enregistré au nom de Camille Martin (votre compte).").count() == 1
    upload = tmp_path / "t3.xlsx"
    upload.write_bytes(saisie_xlsx(GOOD))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    page.get_by_role("button", name="Importer").click(timeout=PATIENT)
    page.get_by_text(re.compile(r"Import n°1 enregistré")).wait_for(timeout=PATIENT)
    menu(page, "Historique des imports")
    page.screenshot(path=str(SHOTS / "comptes_historique.png"))  # its register's « Auteur » (a canvas: seen here)
    menu(page, "Vue d'ensemble")
    assert re.search(r"dernier import : [0-9/]+ par Camille Martin", page.locator("[data-testid=stMain]").inner_text())

    page.get_by_role("button", name="Se déconnecter").click()
    # Signed out of the provider too (its end_session_endpoint), then back on the dashboard without a role.
    page.get_by_role("button", name="Oui, me déconnecter").click(timeout=PATIENT)
    page.wait_for_url(re.compile(re.escape(url)), timeout=PATIENT)
    settle(page, PATIENT)
    menu(page, "Saisie trimestrielle")
    assert "Connecté(e)" not in sidebar(page)
    assert page.get_by_role("button", name="S'identifier avec le fournisseur de test").count() == 1
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


def saisie(page: Any) -> None:
    """To the Saisie page with the menu, as a person does once signed in (the same session, half the cost of
    opening its address); on it already, the link runs it again, as a reload would."""
    menu(page, "Saisie trimestrielle")


CCI_T3 = [[15, "F15-I1", "2026-T3", 4, "Ateliers de l'automne", None], [15, "F15-I2", "2026-T3", 12, None, None]]


def test_a_porteurs_file_goes_to_the_coordinations_validation_and_one_is_sent_back(dashboard: dict, computers: Any,
                                                                                   tmp_path: Path) -> None:
    url = dashboard["url"]
    porteur, coordination = computers(), computers()
    sign_in(porteur, url, "dominique")
    assert "Connecté(e) : Dominique Roux (porteur : CCI du Lot)" in sidebar(porteur)
    saisie(porteur)
    main = porteur.locator("[data-testid=stMain]")
    assert "1. Votre modèle" in main.inner_text() and "2. Déposer votre fichier rempli" in main.inner_text()
    first = tmp_path / "cci_t3.xlsx"
    first.write_bytes(saisie_xlsx(CCI_T3))
    porteur.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(first))
    porteur.get_by_role("button", name="Déposer pour validation").click(timeout=PATIENT)
    porteur.get_by_text(re.compile(r"Fichier déposé \(dépôt n°\d+\)")).wait_for(timeout=PATIENT)
    first_number = re.search(r"n°(\d+)", porteur.get_by_text(re.compile(r"Fichier déposé \(dépôt n°")).inner_text())[1]
    porteur.screenshot(path=str(SHOTS / "comptes_porteur_depot.png"), full_page=True)

    sign_in(coordination, url, "camille")
    saisie(coordination)
    assert coordination.get_by_text(re.compile(r"Fichiers déposés par les porteurs : 1 à valider")).count() == 1
    coordination.screenshot(path=str(SHOTS / "comptes_a_valider.png"), full_page=True)
    coordination.get_by_role("button", name="Valider et importer").click(timeout=PATIENT)
    coordination.get_by_text(re.compile(r"Dépôt n°\d+ validé : import n°\d+ enregistré")).wait_for(timeout=PATIENT)
    menu(coordination, "Vue d'ensemble")
    assert re.search(r"dernier import : [0-9/]+ par Dominique Roux",
                     coordination.locator("[data-testid=stMain]").inner_text())

    # A second file, sent back with a message the porteur reads on her page.
    second = tmp_path / "cci_t3_bis.xlsx"
    second.write_bytes(saisie_xlsx([[15, "F15-I1", "2026-T3", 40, "40 ?", None]]))
    saisie(porteur)
    porteur.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(second))
    porteur.get_by_role("button", name="Déposer pour validation").click(timeout=PATIENT)
    # Its own number: the first deposit's message cannot pass for it.
    porteur.get_by_text(re.compile(rf"Fichier déposé \(dépôt n°(?!{first_number}\))\d+\)")).wait_for(timeout=PATIENT)
    saisie(coordination)
    coordination.get_by_label("Message au porteur (ce qu'il doit corriger)").fill("40 ateliers en un trimestre ? "
                                                                                  "Vérifiez F15-I1.")
    coordination.get_by_role("button", name="Renvoyer au porteur").click()
    coordination.get_by_text(re.compile(r"Dépôt n°\d+ renvoyé au porteur")).wait_for(timeout=PATIENT)
    saisie(porteur)
    said = porteur.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("vous a été renvoyé par Camille Martin" in text and "40 ateliers en un trimestre ? Vérifiez F15-I1."
               in text for text in said), said
    porteur.screenshot(path=str(SHOTS / "comptes_porteur_renvoi.png"), full_page=True)


def test_an_elu_reads_without_writing_and_a_stranger_is_told(dashboard: dict, computers: Any) -> None:
    url = dashboard["url"]
    elu = computers()
    sign_in(elu, url, "elise")
    assert "Connecté(e) : Élise Blanc (lecture (élus))" in sidebar(elu)
    saisie(elu)
    assert elu.locator('[data-testid="stFileUploader"]').count() == 0
    menu(elu, "Comptes")
    shown = elu.locator("[data-testid=stMain]").inner_text()
    assert "La gestion des comptes est réservée au rôle coordination." in shown
    stranger = computers()
    sign_in(stranger, url, "sans-compte")  # back on the overview, where she is told
    assert "agent.sans.compte@exemple.gouv.fr, qui n'a pas de compte" in stranger.locator(
        "[data-testid=stMain]").inner_text()
