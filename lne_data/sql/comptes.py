"""Personal accounts and the structures a porteur's account answers for (`lne_data.comptes`); the files porteurs
submit and their queue « à valider » (`lne_data.depots`)."""

from __future__ import annotations

# An account in force: not removed.
COMPTE = """
SELECT c.email, c.nom, c.role, list(s.structure ORDER BY s.structure) FILTER (WHERE s.structure IS NOT NULL)
FROM comptes c LEFT JOIN comptes_structures s ON s.email = c.email
WHERE c.email = ? AND c.retire_le IS NULL
GROUP BY c.email, c.nom, c.role
"""
COMPTES = """
SELECT c.email, c.nom, c.role, list(s.structure ORDER BY s.structure) FILTER (WHERE s.structure IS NOT NULL)
FROM comptes c LEFT JOIN comptes_structures s ON s.email = c.email
WHERE c.retire_le IS NULL
GROUP BY c.email, c.nom, c.role
ORDER BY c.role, c.nom, c.email
"""
# Created, or given back (a removed account added again), or changed: one row per e-mail.
UPSERT_COMPTE = """
INSERT INTO comptes (email, nom, role, cree_le, cree_par)
VALUES ($email, $nom, $role, $le, $par)
ON CONFLICT (email) DO UPDATE SET nom = excluded.nom, role = excluded.role, modifie_le = excluded.cree_le,
    modifie_par = excluded.cree_par, retire_le = NULL, retire_par = NULL
"""
DELETE_COMPTE_STRUCTURES = "DELETE FROM comptes_structures WHERE email = ?"
INSERT_COMPTE_STRUCTURE = "INSERT INTO comptes_structures (email, structure) VALUES (?, ?)"
RETIRER_COMPTE = """
UPDATE comptes SET retire_le = $le, retire_par = $par WHERE email = $email AND retire_le IS NULL
"""
# The structures an account may name: those carrying or co-carrying a fiche of the version in force, and every
# spelling the référentiel knows of a structure (its `nom` and its `variantes`).
STRUCTURES_PORTEUSES = "SELECT DISTINCT structure FROM porteurs ORDER BY structure"
STRUCTURES_ET_VARIANTES = "SELECT nom, variantes FROM structures ORDER BY nom"
# The fiches a porteur's structures carry (or co-carry) in the version in force.
FICHES_DES_STRUCTURES = """
SELECT DISTINCT p.fiche FROM porteurs p WHERE list_contains(?, p.structure) ORDER BY p.fiche
"""

# --------------------------------------------------------------------------------------------------
# Files submitted by porteurs
# --------------------------------------------------------------------------------------------------

NEXT_DEPOT_ID = "SELECT coalesce(max(id), 0) + 1 FROM depots"
INSERT_DEPOT = """
INSERT INTO depots (id, email, nom, fichier, sha256, contenu, depose_le, statut)
VALUES ($id, $email, $nom, $fichier, $sha256, $contenu, $le, 'a_valider')
"""
INSERT_DEPOT_FICHE = "INSERT INTO depots_fiches (depot_id, fiche, periode) VALUES (?, ?, ?)"
DEPOT = """
SELECT id, email, nom, fichier, sha256, contenu, depose_le, statut, decide_le, decide_par, message, import_id
FROM depots WHERE id = ?
"""
# Every submission without its bytes, latest first, with the fiches and quarters it reports.
DEPOTS = """
SELECT d.id, d.email, d.nom, d.fichier, d.depose_le, d.statut, d.decide_le, d.decide_par, d.message, d.import_id,
       list(DISTINCT f.fiche ORDER BY f.fiche) AS fiches, list(DISTINCT f.periode ORDER BY f.periode) AS periodes
FROM depots d LEFT JOIN depots_fiches f ON f.depot_id = d.id
GROUP BY ALL
ORDER BY d.id DESC
"""
DECIDER_DEPOT = """
UPDATE depots SET statut = $statut, decide_le = $le, decide_par = $par, message = $message, import_id = $import_id
WHERE id = $id AND statut = 'a_valider'
"""
VALIDE_PAR = "UPDATE imports SET valide_par = ? WHERE id = ?"
# The fiches of a quarter that a file waiting for validation reports (« Qui a répondu ? »).
FICHES_DEPOSEES = """
SELECT DISTINCT f.fiche FROM depots d JOIN depots_fiches f ON f.depot_id = d.id
WHERE d.statut = 'a_valider' AND f.periode = ?
"""
