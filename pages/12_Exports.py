"""Exports: the roadmap for the State's tools (Mon Inclusion Numérique, Territoires en Transitions) and for open data,
one section per tool: each file, what it is for, what this database's file still lacks and what is left to do in the
tool."""

import streamlit as st

from lne_data import ui

ui.setup("Exports", filters=False)
st.caption("Les fichiers que le tableau de bord écrit pour les outils de l'État et pour la publication en données "
           "ouvertes, à partir de la version en vigueur de la feuille de route et des saisies enregistrées. Un "
           "montant que la feuille de route ne donne pas n'y est jamais écrit 0. Chaque fichier dit ce qu'il reste à "
           "faire dans l'outil.")
for outil in ui.export_tools():
    if outil.nom == ui.MIN_OUTIL:
        # MIN has no import: its section also holds the pre-flight and, for the coordination, each fiche's besoins
        # to confirm and identifiant MIN.
        ui.min_section(fichiers=False)
    else:
        st.subheader(outil.nom)
    for found in outil.formats:
        st.markdown(f"**{ui.md(found.libelle)}**")
        st.markdown(ui.md(found.pour))
        ui.download(f"Télécharger {found.fichier}", ui.export_bytes(found.nom), found.fichier, found.mime,
                    key=f"export_{found.nom}")
        for remark in ui.export_remarques(found.nom):
            st.warning(ui.md(remark), icon=":material/warning:")
        steps = "\n".join(f"{rank}. {ui.md(step)}" for rank, step in enumerate(found.ensuite, start=1))
        st.markdown(f"**Ensuite, dans l'outil :**\n\n{steps}")
        st.caption(f"Le même fichier en ligne de commande : `./scripts/lne export --format {found.nom} -o …`")
