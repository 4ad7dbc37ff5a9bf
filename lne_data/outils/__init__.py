"""The roadmap in the State's tools: what the dashboard writes for them, a module per tool, each reading through the
read models (`views`, `queries`), never SQL or the database itself.

- `min`: Mon Inclusion Numérique — each fiche as an action of MIN, in MIN's field names (JSON), the same as a
  workbook to retype it (« fiche de saisie MIN »), and the pre-flight: fiche by fiche, what MIN will refuse and what
  must still be done there.
"""
