"""Porteurs et partenaires: who carries which fiche (co-portage shown), who supports most often."""

from lne_data import figures, ui

filters = ui.setup("Porteurs et partenaires")
view = ui.associations(filters)

ui.chart(figures.porteurs(view), view.porteurs, name="porteurs",
         columns={"structure": "Structure", "fiches": "Fiches", "porteur": "Porteur",
                  "co_porteur": "Co-porteur", "liste": "Numéros"})
ui.chart(figures.partenaires(view), view.partenaires, name="partenaires",
         columns={"structure": "Structure", "fiches": "Fiches", "liste": "Numéros"})
ui.chart(figures.liens(view), view.liens, name="liens_structures_fiches",
         columns={"structure": "Structure", "fiche": "Fiche", "role": "Rôle"})
