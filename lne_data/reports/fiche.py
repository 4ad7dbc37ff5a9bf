"""One fiche on one A4 page, as a PDF: roadmap fields, porteurs, partenaires, resources, indicators and their
latest values, and the last follow-up."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any, BinaryIO

import pandas as pd

from .. import cibles, formatting, periodes, rules, views
from ..queries import Reader, snapshot
from .data import EXEMPLE, as_text, date_text, etp_text, euros_text, is_number, progression_text, valeur_text
from .pdflayout import FRAME_PAD, Styles, footer_drawer, keep_with_start, para, pdf_table

FICHE_FIELDS = [
    ("Public cible", "public_cible"),
    ("Enjeux / contexte", "enjeux"),
    ("Description de l'action", "description"),
    ("Freins perçus", "freins"),
    ("Leviers indispensables", "leviers"),
    ("Ressources existantes", "ressources_existantes"),
]

FICHE_SIZES = (9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)


def _moyen_text(row: Any) -> tuple[str, str]:
    if not rules.chiffree(row.quantifie, row.montant):
        return rules.NON_CHIFFRE, as_text(row.source)
    unit = as_text(row.unite)
    amount = (euros_text(row.montant) if unit == "EUR" else etp_text(row.montant) if unit == "ETP"
              else formatting.with_unit(float(row.montant), unit or None))
    period = rules.periodicite_label(row.periodicite, row.annee, unit)
    if getattr(row, "conditionnel", False) is True:
        period = f"{period}, sous condition"
    return f"{amount} ({period})" if period else amount, as_text(row.libelle) or as_text(row.source)


def _fiche_story(view: views.FicheView, s: Styles, width: float, exemple: bool, now: datetime) -> list[Any]:
    from reportlab.platypus import Spacer

    f = view.fiche
    story: list[Any] = [
        para(f"Fiche action n°{int(f['numero'])} — {as_text(f['intitule'])}", s.h1.clone("top", spaceBefore=0)),
        para(f"Axe {int(f['axe'])} — {as_text(f['axe_libelle'])} · Objectif {as_text(f['objectif'])} : "
              f"{as_text(f['objectif_libelle'])}", s.small),
    ]
    if exemple:
        story.append(para(f"{EXEMPLE} : les valeurs d'indicateurs et le suivi sont fictifs.", s.alert))
    porteurs = " ; ".join(
        f"{as_text(p.structure)} ({p.role}" + (f", niveau {as_text(p.niveau)}" if as_text(p.niveau) else "") + ")"
        for p in view.porteurs.itertuples()) or "aucun"
    partenaires = " ; ".join(
        as_text(p.structure) + (f" ({as_text(p.precision)})" if as_text(p.precision) else "")
        for p in view.partenaires.itertuples()) or "aucun"
    fields = [("État", view.etat), ("Porteur(s)", porteurs), ("Partenaires", partenaires)]
    fields += [(label, as_text(f.get(key)) or "—") for label, key in FICHE_FIELDS]
    added = f.get("ajoutee_le")  # missing (NaT) when the workbook gives no date of adoption
    dated = isinstance(added, (datetime, pd.Timestamp)) and not pd.isna(added)
    fields.append(("Introduite", (as_text(f.get("version")) or "—") + (f", le {added:%d/%m/%Y}" if dated else "")))
    story.append(Spacer(1, 3))
    story.append(_grid(s, [[para(label, s.label), para(text, s.cell)] for label, text in fields],
                       [0.18 * width, 0.82 * width]))

    story.append(para("Ressources à mobiliser", s.h2))
    story.append(para(f"Investissement prévu : {view.phrase_prevu}", s.cell))
    rows = [[as_text(r.rubrique), as_text(r.structure) or "non précisée", *_moyen_text(r)]
            for r in view.moyens.itertuples()]
    story.append(pdf_table(s, ["Rubrique", "Structure", "Montant", "Ligne"], rows or [["—", "—", "—", "—"]],
                            [w * width for w in (.14, .24, .17, .45)]))

    story.append(para("Indicateurs de suivi (dernière valeur)", s.h2))
    rows = []
    for r in view.mesures.dernieres.itertuples():
        latest = "—" if not as_text(r.periode) else f"{valeur_text(r)} ({periodes.label(r.periode)})"
        target = formatting.number(float(r.cible), 2) if is_number(r.cible) else (
            f"échéance {int(r.echeance)}" if is_number(r.echeance) else "—")
        origine = cibles.origine_courte(r.cible_origine)
        target += f" ({origine})" if origine else ""
        rows.append([r.code, as_text(r.libelle), target, latest, progression_text(r)])
    story.append(pdf_table(s, ["Code", "Indicateur", "Cible", "Dernière valeur", "Progression"],
                            rows or [["—", "aucun indicateur", "", "", ""]],
                            [w * width for w in (.08, .42, .1, .2, .2)]))

    if not view.suivi.empty:
        last = view.suivi.iloc[0]
        follow = [f"{periodes.label(last['periode'])} : {as_text(last['statut']) or '—'}, "
                  + f"météo {as_text(last['meteo']) or '—'}"]
        follow += [f"{label} : {as_text(last[key])}" for label, key in
                   (("Résultats", "resultats"), ("Freins", "freins"), ("Prochaines étapes", "prochaines_etapes"))
                   if as_text(last[key])]
        story += [para("Dernier suivi", s.h2), para("\n".join(follow), s.cell)]
    story.append(para(f"Généré le {date_text(now)}", s.small.clone("end", spaceBefore=4)))
    return story


def _grid(s: Styles, rows: list[list[Any]], widths: list[float]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#CCCCCC")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def build_fiche_pdf(con: Reader, numero: int, out: BinaryIO, *, now: datetime | None = None) -> None:
    """One fiche on one A4 page: roadmap fields, porteurs, partenaires, resources, indicators and their latest
    values. Raises NotFound (French message) for an unknown fiche."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepInFrame, SimpleDocTemplate
    from reportlab.platypus.doctemplate import LayoutError

    with snapshot(con) as snap:
        ref = views.reference(snap)
        view = views.fiche(snap, ref, int(numero))
        exemple = views.data_state(snap).exemples
    moment = now or datetime.now()
    margins = {"leftMargin": 1.3 * cm, "rightMargin": 1.3 * cm, "topMargin": 1.2 * cm, "bottomMargin": 1.2 * cm}
    width = A4[0] - 2.6 * cm - 2 * FRAME_PAD
    footer = footer_drawer(f"{ref.feuille_de_route['titre']} — fiche n°{int(numero)}", exemple)

    def render(story: list[Any]) -> tuple[bytes, int]:
        buffer = BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Fiche action n°{int(numero)}", lang="fr-FR",
                                author=formatting.document_property(ref.feuille_de_route["titre"]),
                                keepTogetherClass=keep_with_start(), **margins)
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue(), doc.page

    def attempt(size: float) -> bytes | None:
        try:
            pdf, pages = render(_fiche_story(view, Styles(size), width, exemple, moment))
        except LayoutError:  # one field alone taller than a page
            return None
        return pdf if pages == 1 else None

    # Long fiches get smaller type, the text reflowed: the largest size that holds on one page, found by
    # bisection since most fiches fit at the first size and the longest need several tries. If even the
    # smallest size overflows, the whole page is scaled down rather than cut: nothing of the fiche is dropped.
    best = attempt(FICHE_SIZES[0])
    if best is None:
        low, high = 1, len(FICHE_SIZES) - 1
        while low <= high:
            middle = (low + high) // 2
            found = attempt(FICHE_SIZES[middle])
            if found is None:
                low = middle + 1
            else:
                best, high = found, middle - 1
    if best is not None:
        out.write(best)
        return
    frame_height = A4[1] - 2.4 * cm - 2 * FRAME_PAD
    story = [KeepInFrame(width, frame_height, _fiche_story(view, Styles(FICHE_SIZES[-1]), width, exemple, moment),
                         mode="shrink")]
    out.write(render(story)[0])
