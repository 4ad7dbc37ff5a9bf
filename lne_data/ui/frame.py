"""The frame of every page: page config, sign-in gate, the menu, the filters kept in the URL and their widgets,
French wording of Streamlit's own widgets, and the mode réunion's navigation and choice of data.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from .. import periodes, versions, views
from .auth import role, sign_in_form, sign_out_button, signed_out_notice
from .data import closures, data_state, database_or_stop, reference, version_in_force
from .widgets import md, today

PAGES: list[tuple[str, str, str]] = [
    ("app.py", "Vue d'ensemble", ":material/dashboard:"),
    ("pages/1_Budget.py", "Budget par axe", ":material/euro:"),
    ("pages/2_Charge_RH.py", "Charge RH", ":material/groups:"),
    ("pages/3_Indicateurs.py", "Indicateurs", ":material/monitoring:"),
    ("pages/4_Porteurs.py", "Porteurs et partenaires", ":material/hub:"),
    ("pages/5_Fiche.py", "Fiche action", ":material/description:"),
    ("pages/6_Saisie.py", "Saisie trimestrielle", ":material/upload_file:"),
    ("pages/7_Historique.py", "Historique des imports", ":material/history:"),
    ("pages/8_Reunion.py", "Mode réunion", ":material/co_present:"),
    ("pages/9_Clotures.py", "Clôtures et rapports", ":material/inventory_2:"),
    ("pages/10_Feuille_de_route.py", "Feuille de route", ":material/account_tree:"),
    ("pages/11_Comptes.py", "Comptes", ":material/manage_accounts:"),
    ("pages/12_Exports.py", "Exports", ":material/ios_share:"),
]
FILTER_KEYS = ("axe", "objectif", "porteur", "periode")
# The "no filter" choice; None would show Streamlit's empty placeholder instead of a label.
ALL = "tous"
# Shown by a selectbox that has nothing to offer (Streamlit's default is « Choose an option »).
CHOOSE = "Aucun choix possible"


def setup(title: str, *, filters: bool = True, compact: bool = False) -> views.Filters:
    """Shared top of every page: config, menu, filters (returned), example banner, title.

    `compact` (meeting mode) keeps the banner to one line and leaves the title to the page, so that a
    whole screen fits in a 1280×720 shared screen.
    """
    _no_data_export()
    # The meeting starts with the sidebar folded: the projector shows the quarter, not the filters; Streamlit's own
    # « > » in the top left corner unfolds it.
    st.set_page_config(page_title=f"{title} — LNE", page_icon=":material/hub:", layout="wide",
                       initial_sidebar_state="collapsed" if compact else "auto")
    _french_widgets()
    database_or_stop(title)
    current_role = role()
    signed_out_notice()
    if current_role is None:
        st.title(title)
        sign_in_form("La consultation de ce tableau de bord est réservée : saisissez le mot de passe.")
        st.stop()
    ref = reference()
    # A page without filters still passes on those of its address: Budget filtered, then a fiche, then Charge RH
    # keeps the filters.
    carried = read_filters(ref)
    current = carried if filters else views.Filters()
    with st.sidebar:
        st.markdown(f"**{md(ref.feuille_de_route['titre'])}**")
        current_version = version_in_force()
        if current_version is not None:
            st.caption(f"En vigueur : {md(versions.label(current_version))}")
        # Filled once the filters are known: the links carry the filters of this run's widgets (a list just
        # changed), not those the address had when the run began.
        menu = st.container()
        if filters:
            st.divider()
            current = carried = filter_widgets(ref, title)
    with menu:
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon, query_params=filter_params(carried))
    sign_out_button()
    state = data_state()
    if state.exemples and compact:
        pass  # the meeting says it in its navigation row (`meeting_navigation`): a banner costs a projector's line
    elif state.exemples:
        st.warning(
            "**Données d'exemple.** Les valeurs d'indicateurs affichées sont fictives, fournies pour la "
            "démonstration. Elles disparaîtront au premier import de vraies saisies (page « Saisie trimestrielle »).",
            icon=":material/science:",
        )
    if not compact:
        st.title(title)
    return current


# Streamlit translates nothing of its file uploader (no option nor parameter for the button's « Upload » or the
# « 20MB per file • XLSX » line). This style sheet, sent with every page, hides those two English texts from sight
# and writes French ones in their place (generated content). The button keeps « Upload » for screen readers, as its
# accessible name: without it the button would have none (axe-core: button-name, critical). The selectors are
# Streamlit's own test ids; tests/test_e2e_a11y.py checks the result in Chromium, so that a Streamlit upgrade that
# renames them fails the tests instead of bringing the English back.
_UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button p {{
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after {{
  font-size: 0.875rem; content: "Choisir un fichier"; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ visibility: hidden; font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  visibility: visible; font-size: 0.875rem; content: "ou le déposer ici — {limit} Mo au plus"; }}
</style>"""


# A menu link focused from the keyboard looked like the page being read (the same grey background): WCAG 2.4.7
# wants the focus seen. A black ring around the focused link, the current page keeps its background.
_FOCUS_CSS = """<style>
[data-testid="stPageLink-NavLink"]:focus-visible { outline: 3px solid #000000; outline-offset: 1px; }
[data-testid="stTable"] > div:focus-visible { outline: 3px solid #000000; outline-offset: 1px; }
</style>"""

# Streamlit's English that no option translates and no style sheet can reach, rewritten in French as it is drawn
# (a MutationObserver, installed once per browser tab, which pages share): the keyboard's « Skip to main content »
# link, the size of an uploaded file (« 17.9KB » → « 17,9 ko ») in the chip and in its accessible name, and the
# accessible names of the chip's buttons and of a heading's anchor. Each rewrite changes a text only when it is
# still Streamlit's: React draws it again, the observer writes it again. tests/test_e2e_a11y.py checks it in Chromium.
_FRENCH_SCRIPT = r"""<script>
(function () {
  if (window.__lneFrench) return;
  window.__lneFrench = true;
  const units = {B: "o", KB: "ko", MB: "Mo", GB: "Go"};
  const size = (text) => text.replace(/(\d+(?:\.\d+)?)\s?(B|KB|MB|GB)\b/g,
    (_, n, u) => n.replace(".", ",") + "\u00a0" + units[u]);
  const label = (el, from, to) => {
    const v = el.getAttribute("aria-label");
    if (v && v.startsWith(from)) el.setAttribute("aria-label", to + v.slice(from.length));
  };
  const french = () => {
    document.querySelectorAll('[data-testid="stSkipToContent"]').forEach((a) => {
      if (a.textContent !== "Aller au contenu principal") a.textContent = "Aller au contenu principal";
    });
    document.querySelectorAll('[data-testid="stFileChip"]').forEach((chip) => {
      const v = chip.getAttribute("aria-label");
      if (v && size(v) !== v) chip.setAttribute("aria-label", size(v));
      const shown = chip.querySelector('[data-testid="stFileChipName"] + div');
      if (shown && size(shown.textContent) !== shown.textContent) shown.textContent = size(shown.textContent);
      chip.querySelectorAll("button[aria-label]").forEach((b) => label(b, "Remove ", "Retirer "));
    });
    document.querySelectorAll('button[aria-label="Add files"]').forEach((b) => b.setAttribute("aria-label",
      "Ajouter un fichier"));
    document.querySelectorAll('a[aria-label="Link to heading"]').forEach((a) => a.setAttribute("aria-label",
      "Lien vers ce titre"));
    // A table wider than the page scrolls in its frame: the keyboard must reach it (WCAG 2.1.1, axe-core's
    // scrollable-region-focusable), as the Indicateurs page's latest values (eleven columns) at 1280 px.
    document.querySelectorAll('[data-testid="stTable"] > div').forEach((frame) => {
      if (frame.scrollWidth > frame.clientWidth && !frame.hasAttribute("tabindex")) {
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", "Tableau (faire défiler avec les flèches)");
      }
    });
  };
  french();
  new MutationObserver(french).observe(document.body, {childList: true, subtree: true, characterData: true});
  window.addEventListener("resize", french);
})();
</script>"""


def _french_widgets() -> None:
    # One element for the three: the uploader's style, the focus ring, the French rewrites (its script runs in the
    # page itself: Streamlit's own elements are there).
    st.html(_UPLOADER_CSS.format(limit=int(st.get_option("server.maxUploadSize"))) + _FOCUS_CSS + _FRENCH_SCRIPT,
            unsafe_allow_javascript=True)


def _no_data_export() -> None:
    """Keep the tables' own « Download as CSV » (and copy) off even when a deployment's settings turn it back on
    (a flag, an environment variable): that export writes cells as typed, and a comment `=HYPERLINK(…)` opens as
    a live formula in Excel. The browser learns the setting when a run starts, hence the one rerun, before
    anything is drawn; it happens once per server process."""
    if not st.get_option("client.disableDataExport"):
        st.set_option("client.disableDataExport", True)
        st.rerun()


def _chosen(value: Any) -> Any:
    """A filter's value, None for « tous »."""
    return None if value == ALL else value


def filter_params(filters: views.Filters) -> dict[str, str]:
    return {k: str(v) for k, v in vars(filters).items() if v not in (None, "")}


def read_filters(ref: views.Reference) -> views.Filters:
    """Filters from the URL, ignoring values that do not exist (an old or hand-edited link)."""
    params = st.query_params
    axe = params.get("axe")
    axe_code = int(axe) if axe and axe.isdigit() and int(axe) in set(ref.axes["code"]) else None
    objectif = params.get("objectif") if params.get("objectif") in set(ref.objectifs["code"]) else None
    porteur = params.get("porteur") if params.get("porteur") in set(ref.porteurs["structure"]) else None
    periode = periodes.parse(params.get("periode", "") or "")
    if periode not in ref.periodes():
        periode = None
    return views.Filters(axe_code, objectif, porteur, periode)


def filter_widgets(ref: views.Reference, page: str) -> views.Filters:
    url = read_filters(ref)
    # The URL wins when it changed since this session last wrote it (the user followed a link: an axe card, a
    # shared address) or when the page changed: Streamlit forgets a page's widgets when another page runs, even
    # under the same key, so the menu's links carry the filters in their address. Otherwise the widgets win, and
    # are written back to the URL below.
    if st.session_state.get("_filtres_url") != (page, url) \
            or any(f"filtre_{k}" not in st.session_state for k in FILTER_KEYS):
        for key in FILTER_KEYS:
            value = getattr(url, key)
            st.session_state[f"filtre_{key}"] = ALL if value is None else value
    st.markdown("**Filtres**")
    axes = dict(zip(ref.axes["code"].astype(int), ref.axes["libelle"]))
    axe = st.selectbox("Axe", [ALL, *axes], placeholder=CHOOSE, key="filtre_axe",
                       format_func=lambda c: "Tous les axes" if c == ALL else f"{c}. {axes[c]}")
    objectifs = ref.objectifs if axe == ALL else ref.objectifs[ref.objectifs["axe"] == axe]
    labels = dict(zip(objectifs["code"], objectifs["libelle"]))
    if st.session_state.get("filtre_objectif") not in labels:
        st.session_state["filtre_objectif"] = ALL
    objectif = st.selectbox("Objectif", [ALL, *labels], placeholder=CHOOSE, key="filtre_objectif",
                            format_func=lambda c: "Tous les objectifs" if c == ALL else f"{c} {labels[c]}")
    porteurs = sorted(ref.porteurs["structure"].unique())
    porteur = st.selectbox("Porteur", [ALL, *porteurs], placeholder=CHOOSE, key="filtre_porteur",
                           format_func=lambda s: "Tous les porteurs" if s == ALL else s)
    state = data_state()
    choices = [p for p in ref.periodes() if p <= (state.periodes_saisies[-1] if state.periodes_saisies else "")]
    if st.session_state.get("filtre_periode") not in choices:
        st.session_state["filtre_periode"] = ALL
    periode = st.selectbox("Période", [ALL, *reversed(choices)], placeholder=CHOOSE, key="filtre_periode",
                           format_func=lambda p: "Dernier trimestre saisi" if p == ALL else periodes.label(p))
    axe, objectif, porteur, periode = (_chosen(v) for v in (axe, objectif, porteur, periode))
    filters = views.Filters(axe, objectif, porteur, periode)
    wanted = filter_params(filters)
    for key in FILTER_KEYS:
        if key in wanted and st.query_params.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]
    st.session_state["_filtres_url"] = (page, filters)
    if filters.describe():
        st.caption(f"Vue filtrée : {md(filters.describe())}. Le lien de la page garde ces filtres.")
    return filters


# --------------------------------------------------------------------------------------------------
# Mode réunion and clôtures: where the meeting is, and which data it presents
# --------------------------------------------------------------------------------------------------


def last_complete_quarter(choices: list[str]) -> str:
    """The quarter a comité meeting today presents: the last one over, if it is among `choices`."""
    wanted = periodes.last_complete(today())
    return wanted if wanted in choices else choices[0]


def meeting_step(count: int) -> int:
    """The screen shown, from the URL (`etape=3`), so that a link opens the meeting where it was."""
    asked = st.query_params.get("etape", "1")
    step = min(max(int(asked) if asked.isdigit() else 1, 1), count)
    st.query_params["etape"] = str(step)
    return step


def move_step(delta: int, count: int) -> None:
    """Button callback: runs before the page is drawn again, so the buttons show the new position."""
    current = st.query_params.get("etape", "1")
    step = int(current) if current.isdigit() else 1
    st.query_params["etape"] = str(min(max(step + delta, 1), count))


# The meeting's buttons, by key: Streamlit gives each keyed widget's container the class `st-key-<key>`, which the
# keyboard listener below clicks.
MEETING_KEYS = {"ArrowLeft": "reunion_precedent", "PageUp": "reunion_precedent", "ArrowRight": "reunion_suivant",
                "PageDown": "reunion_suivant", "Home": "reunion_debut", "End": "reunion_fin"}
# Streamlit has no keyboard events. A tiny component (an iframe of the same origin, no network) listens on the
# page and clicks the meeting's own buttons: ← → and a presenter's clicker (PageUp, PageDown), Home and End. It
# ignores keys typed in a field, and leaves when the component does (another page, another screen's run adds
# it again, once).
_MEETING_KEYS_SCRIPT = """<script>
(function () {
  const top = window.parent, doc = top.document, keys = %s;
  if (top.__lneReunion) doc.removeEventListener("keydown", top.__lneReunion, true);
  const listener = function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable=true]")) return;
    const key = keys[event.key];
    const button = key && doc.querySelector(".st-key-" + key + " button");
    if (!button) return;
    event.preventDefault();
    if (!button.disabled) button.click();
  };
  top.__lneReunion = listener;
  doc.addEventListener("keydown", listener, true);
  window.addEventListener("pagehide", function () {
    if (top.__lneReunion === listener) { doc.removeEventListener("keydown", listener, true); top.__lneReunion = null; }
  });
})();
</script>"""


def meeting_navigation(step: int, count: int) -> None:
    """First, previous, « Écran 3 / 10 », next, last; and the same from the keyboard or a presenter's clicker."""
    first, previous, position, following, last = st.columns([1, 1.2, 3, 1.2, 1], vertical_alignment="center")
    first.button("Début", icon=":material/first_page:", disabled=step == 1, width="stretch", key="reunion_debut",
                 on_click=move_step, args=(-count, count), help="Touche Début")
    previous.button("Précédent", icon=":material/chevron_left:", disabled=step == 1, width="stretch",
                    key="reunion_precedent", on_click=move_step, args=(-1, count), help="Touche ← ou Page précédente")
    examples = " · :orange-background[:material/science: Données d'exemple]" if data_state().exemples else ""
    position.markdown(f"#### Écran {step} / {count}{examples}", text_alignment="center")
    following.button("Suivant", icon=":material/chevron_right:", disabled=step == count, width="stretch",
                     type="primary", key="reunion_suivant", on_click=move_step, args=(1, count),
                     help="Touche → ou Page suivante")
    last.button("Fin", icon=":material/last_page:", disabled=step == count, width="stretch", key="reunion_fin",
                on_click=move_step, args=(count, count), help="Touche Fin")
    # st.iframe is Streamlit 1.67's successor of components.html: same origin, scripts allowed; the HTML is ours.
    st.iframe(_MEETING_KEYS_SCRIPT % json.dumps(MEETING_KEYS), height=1, tab_index=-1)


def closure_choice(key: str = "cloture") -> int | None:
    """Which data to show: today's, or a frozen quarter (kept in the URL as `cloture=N`)."""
    available = closures().table
    ids = [int(i) for i in available["id"]]
    labels = {i: closures().libelle(i) for i in ids}
    asked = st.query_params.get("cloture", "")
    default = int(asked) if asked.isdigit() and int(asked) in ids else 0
    # 0 stands for the live data (closure numbers start at 1); None would show an empty placeholder.
    choice = st.selectbox("Données présentées", [0, *ids], index=[0, *ids].index(default), key=key,
                          placeholder=CHOOSE, format_func=lambda i: "Données actuelles" if i == 0 else labels[i])
    if choice == 0:
        st.query_params.pop("cloture", None)
    else:
        st.query_params["cloture"] = str(choice)
    return choice or None

