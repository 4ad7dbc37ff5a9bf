"""LNE — données et logique du tableau de bord « Lot Numérique Ensemble 2024-2027 ».

Everything here is plain Python (no Streamlit) except the package `lne_data.ui`, the one the pages import for
shared setup, the menu and cached access to the database.
"""

__version__ = "0.1.0"
